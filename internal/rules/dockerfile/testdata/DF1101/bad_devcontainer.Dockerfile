# Dev containers end as root on purpose: devcontainer.json names the user.
FROM mcr.microsoft.com/devcontainers/base:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
# want DF1101 "development or CI image: the file is a dev container" severity=info
USER root
