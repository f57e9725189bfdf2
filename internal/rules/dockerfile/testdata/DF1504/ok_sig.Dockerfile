FROM debian:12-slim
RUN apt-get install python3 | grep "--allow-unauthenticated"
RUN apt-get update && echo "--force-yes"
RUN apk add a-handbag | grep "--allow-untrusted"
RUN yum install python3 | grep "--nogpgcheck"
RUN rpm -i python3.rpm && rpm -V python3
RUN echo "--nodigest"
RUN echo "gpgcheck=0"
RUN printf '[v]\nrepo_gpgcheck=0\ngpgcheck=1\n' > /etc/yum.repos.d/v.repo
RUN sed -i 's/gpgcheck=0/gpgcheck=1/' /etc/yum.repos.d/x.repo
RUN echo "deb [signed-by=/etc/apt/keyrings/v.asc] https://apt.example stable main" > /etc/apt/sources.list.d/v.list
RUN apt-get install -y -o Dpkg::Options::=--force-confold foo=1.0
RUN tempDir="$(mktemp -d)"; echo "deb [ trusted=yes ] file://$tempDir ./" > /etc/apt/sources.list.d/temp.list

FROM alpine:3.20 AS builder
RUN mkdir -p /tmp/packages

FROM alpine:3.20
RUN --mount=type=bind,target=/tmp/packages/,source=/tmp/packages/,from=builder \
    apk add --no-cache --allow-untrusted /tmp/packages/nginx-module-njs-1.27.0.apk
