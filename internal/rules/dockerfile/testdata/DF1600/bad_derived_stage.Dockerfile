FROM ubuntu:24.04 AS base
RUN apt-get update

FROM base
# want DF1600 "that `apt-get update` at line 2"
RUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
