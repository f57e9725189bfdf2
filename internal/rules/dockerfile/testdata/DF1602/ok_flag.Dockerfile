FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get --no-install-recommends install -y jq
RUN apt-get install -y -o APT::Install-Recommends=false git
RUN apt-get install -y -oAPT::Install-Recommends=0 make
RUN ["apt-get", "apt::install-recommends=false", "install", "apt-utils"]
RUN apt-get -y upgrade
RUN aptitude install -y vim
