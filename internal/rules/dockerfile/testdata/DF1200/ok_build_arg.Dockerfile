# options: build-arg=BASE=debian:12-slim
ARG BASE
FROM $BASE
