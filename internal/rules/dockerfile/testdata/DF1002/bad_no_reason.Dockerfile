FROM alpine:3.20
# want DF1002 "has no reason"
# shipshape ignore=DF1103
RUN echo hi
# want DF1002 "malformed"
# shipshape ignore DF1103 please
RUN echo hi
