# syntax=docker/dockerfile:1
FROM alpine:3.20
ENV BUILD_DEPS="gcc musl-dev make"
# want DF1300 "apk installs build toolchain gcc, musl-dev, make"
RUN apk add --no-cache $BUILD_DEPS curl
RUN <<EOF
set -e
echo building
# want DF1300 "`cargo build` builds in the only"
cargo build --release
EOF
USER nobody
