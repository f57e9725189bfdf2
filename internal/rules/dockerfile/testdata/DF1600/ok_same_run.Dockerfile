FROM debian:12
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends gettext
rm -rf /var/lib/apt/lists/*
EOF
RUN apk --update add easy-rsa
RUN apk update --no-cache && apk upgrade --no-cache
FROM mcr.microsoft.com/azurelinux/base/core:3.0 AS repos
# The metadata tdnf makecache fetches lands on the cache mount, not in the layer.
RUN --mount=type=cache,target=/var/cache/tdnf tdnf install -y azurelinux-repos && tdnf makecache
FROM repos
RUN tdnf install -y wget tar && tdnf clean all
