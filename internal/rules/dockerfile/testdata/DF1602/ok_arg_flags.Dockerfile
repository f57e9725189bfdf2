FROM debian:12
ARG APT_FLAGS="-y --no-install-recommends"
RUN apt-get update && apt-get install ${APT_FLAGS} curl && rm -rf /var/lib/apt/lists/*
# An unknown shell variable might carry the flag: stay quiet.
RUN OPTS="--no-install-recommends"; apt-get install -y $OPTS jq
