FROM ubuntu:24.04
# want DF1601 "apt-get update"
RUN apt-get update && apt-get install -y --no-install-recommends git
RUN rm -rf /var/lib/apt/lists/*
