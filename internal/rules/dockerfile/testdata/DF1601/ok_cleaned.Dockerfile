FROM debian:12
RUN apt-get update && apt-get install --no-install-recommends -y python3 \
  && apt-get clean \
  && rm -rf /var/lib/apt/lists/*
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends curl; \
	rm -rf /var/lib/apt/lists
RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/* /tmp/*
RUN apt-get update && apt-get install -y --no-install-recommends jq && find /var/lib/apt/lists -type f -delete
RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt
