FROM debian:12
ARG APT_OPTS="-y -q"
# want DF1602 "apt-get install"
RUN apt-get update && apt-get install $APT_OPTS -o APT::Install-Recommends=true curl && rm -rf /var/lib/apt/lists/*
