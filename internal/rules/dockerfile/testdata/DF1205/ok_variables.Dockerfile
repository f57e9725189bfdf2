ARG PLATFORM=linux/amd64
FROM --platform=$BUILDPLATFORM golang:1.24 AS build
FROM --platform=${TARGETPLATFORM} alpine:3.21 AS t
FROM --platform=linux/${TARGETARCH} alpine:3.21 AS arch
FROM --platform=$PLATFORM alpine:3.21 AS fromarg
FROM alpine:3.21
