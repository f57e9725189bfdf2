# hadolint global ignore=DL3059 # we keep our RUNs small
FROM debian:12-slim
# hadolint stage ignore=DL3008,DL3015
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
# hadolint shell=bash
# hadolint ignore=DL3013,SC2086
RUN pip install --no-cache-dir requests
