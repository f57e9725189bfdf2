FROM debian:12
RUN apt-get update && ./setup.sh && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get install -y --no-install-recommends curl
RUN sed -i 's/a/b/' /etc/locale.gen && update-locale LANG=en_US.UTF-8
