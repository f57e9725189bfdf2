# syntax=docker/dockerfile:1
FROM alpine:3.20
ADD rootfs.tar.gz /
ADD "/target/resources.tar.gz" "resources"
ADD layer.tar.xz vendor.tgz /opt/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.bin /usr/local/bin/tool
ADD https://github.com/moby/buildkit.git#v0.14.0 /src
ADD git@github.com:org/repo.git /src2
ARG ARCHIVE=dist.tar.bz2
ADD ${ARCHIVE} /opt/
COPY app.jar /opt/app.jar
