FROM alpine:3.20
# shipshape file-ignore=DF1001 -- example file
# shipshape ignore=DF1103 -- the vendor installer insists on sudo
RUN echo hi
