# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOT
set -e
echo hello
EOT
COPY <<EOT /etc/motd
welcome
EOT
