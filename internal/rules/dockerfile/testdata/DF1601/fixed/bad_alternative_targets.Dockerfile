FROM debian:12 AS dev
# want DF1601 "apt-get update"
RUN apt-get update && apt-get install -y --no-install-recommends vim && rm -rf /var/lib/apt/lists/*

FROM debian:12 AS prod
# want DF1601 "apt update"
RUN apt update && apt install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
