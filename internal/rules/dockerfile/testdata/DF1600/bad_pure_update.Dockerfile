FROM alpine:3.20
# want DF1600 "`apk update` runs alone"
RUN set -eux; apk update
RUN echo done
