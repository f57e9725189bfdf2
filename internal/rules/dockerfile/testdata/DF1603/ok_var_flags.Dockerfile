FROM alpine:3.20
ARG APK_FLAGS=--no-cache
RUN apk add $APK_FLAGS curl
RUN apk add $UNKNOWN_FLAGS git
