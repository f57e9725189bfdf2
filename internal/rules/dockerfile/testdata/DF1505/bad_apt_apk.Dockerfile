FROM debian:12-slim
# want DF1505 "apt-get install does not pin the versions of curl, git"
RUN apt-get update && apt-get install -y --no-install-recommends curl git=1:2.39.5-0+deb12u1 git \
    && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
# want DF1505 "apt-get install does not pin the version of python3$"
 && apt-get install -y -o Dpkg::Options::=--force-confold -t bookworm-backports python3
ARG EXTRA="jq vim"
# want DF1505 "jq, vim"
RUN apt-get install -y $EXTRA
# want DF1505 "a1, a2, a3, a4, a5 and 2 more"
RUN apt-get install -y a1 a2 a3 a4 a5 a6 a7

FROM alpine:3.20
# want DF1505 "apk add does not pin the version of libimagequant"
RUN apk add --no-cache --virtual .build-deps -X https://dl-cdn.alpinelinux.org/alpine/edge/main libimagequant py3-pip=23.1.2-r0
# want DF1505 "apk add .* tea"
RUN apk add py-pip~=23.1 && apk add tea
