ARG DEBUG
ARG BASE=alpine:3.20
FROM --platform=$BUILDPLATFORM ${BASE}${DEBUG} AS build
ARG TARGETARCH
ARG foo
ENV HOME_DIR=/home/app
COPY Dockerfile${foo} ${HOME_DIR}/
WORKDIR /build/$TARGETARCH
COPY app ${MISSING:-/default}/
LABEL version="${VERSION:-dev}"
# GOPATH and PATH come from the base image.
ENV PATH=$PATH:/opt/bin
WORKDIR $GOPATH/src
ARG A=1 B=$A
RUN echo "$NOT_CHECKED"
CMD echo $ALSO_NOT_CHECKED
