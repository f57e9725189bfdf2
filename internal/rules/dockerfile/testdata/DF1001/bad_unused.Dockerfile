FROM alpine:3.20
# want DF1001 "suppression of DF1103 matches no finding"
# shipshape ignore=DF1103 -- the installer needs root
RUN echo no sudo here
