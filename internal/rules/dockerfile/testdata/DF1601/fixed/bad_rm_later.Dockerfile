FROM ubuntu:24.04
# want DF1601 "apt-get update"
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN rm -rf /var/lib/apt/lists/*
