# syntax=docker/dockerfile:1
FROM alpine:3.20
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.bin /usr/local/bin/tool
ADD https://github.com/moby/buildkit.git#2c1a6fd8b0c0a9f0ad3b1e2ef4f0a6d4a7b0f3c1 /src
ADD https://github.com/moby/buildkit.git#2c1a6fd8b0c0a9f0ad3b1e2ef4f0a6d4a7b0f3c1:frontend /src2
ADD app.tar.gz /opt/
ADD config.yaml /etc/app/
RUN curl -fsSL https://example.com/big.tar.xz | tar -xJC /usr/src
