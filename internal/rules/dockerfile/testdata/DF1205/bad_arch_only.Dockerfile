FROM alpine:3.21
RUN echo hi
# want DF1205 "stage baseimage-build is pinned to the constant platform \"arm64\""
FROM --platform=arm64 baseimage AS baseimage-build
