FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl && apt-cache policy curl
RUN apt-key list; apt-mark hold curl; echo apt install
RUN ls /etc/apt
