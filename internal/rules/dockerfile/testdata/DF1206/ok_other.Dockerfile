ARG TARGETARCH
FROM --platform=$BUILDPLATFORM golang:1.24 AS build
FROM --platform=linux/$TARGETARCH alpine:3.21 AS arch
FROM --platform=${TARGETPLATFORM:-$BUILDPLATFORM} alpine:3.21 AS both
FROM --platform=linux/amd64 alpine:3.21 AS const
FROM alpine:3.21
