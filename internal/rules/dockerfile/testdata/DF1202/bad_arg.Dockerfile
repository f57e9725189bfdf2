# settings: {"trusted-registries": ["index.docker.io"]}
ARG REGISTRY=ghcr.io/acme
FROM alpine:3.21
# want DF1202 "\"ghcr.io/acme/app:1\" comes from ghcr.io"
FROM ${REGISTRY}/app:1
