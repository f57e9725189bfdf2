# tdnf keeps its metadata in /var/cache/tdnf: with that directory a cache
# mount, makecache stores nothing in the layer for a later RUN to rely on.
FROM mcr.microsoft.com/azurelinux/base/core:3.0 AS repos
RUN --mount=type=cache,target=/var/cache/tdnf \
    tdnf install -y azurelinux-repos \
    && tdnf makecache

FROM repos
RUN tdnf install -y wget tar ca-certificates
