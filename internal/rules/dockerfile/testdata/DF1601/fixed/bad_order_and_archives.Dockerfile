FROM debian:12
# Deleting the lists before the update that fetches them keeps nothing out.
# want DF1601 "`apt-get update` leaves the package lists"
RUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
# docker-clean removed so that a cache mount keeps the .deb files; the
# mount covers only the lists, so the packages land in the layer.
RUN rm -f /etc/apt/apt.conf.d/docker-clean
# want DF1601 "`apt-get install` keeps the downloaded packages in /var/cache/apt/archives, since docker-clean was removed at line 7"
RUN --mount=type=cache,target=/var/lib/apt \
    apt-get update && apt-get install -y --no-install-recommends jq
# want DF1601 "docker-clean was removed in this RUN"
RUN --mount=type=cache,target=/var/lib/apt/lists \
    rm -f /etc/apt/apt.conf.d/docker-clean && apt-get update && apt-get install -y --no-install-recommends git

FROM node:20-slim
# A trigger runs in every image built FROM this one.
# want DF1601 "`apt-get update` leaves the package lists"
ONBUILD RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
