# settings: {"trusted-registries": ["docker.io", "gcr.io/distroless", "*.example.com"]}
FROM node:22-alpine AS build
FROM someuser/toolbox:1.2 AS tools
FROM registry.example.com/base/jre:21 AS jre
FROM gcr.io/distroless/static-debian12
# want DF1202 "base image \"gcr.io/other/thing:1\" comes from gcr.io, which is not in trusted-registries"
FROM gcr.io/other/thing:1
# want DF1202 "comes from quay.io"
FROM quay.io/prometheus/busybox
# want DF1202 "comes from evil.com"
FROM evil.com/x.example.com/pwn:1
# want DF1202 "comes from gcr.io"
FROM gcr.io/distroless-evil/static:1
