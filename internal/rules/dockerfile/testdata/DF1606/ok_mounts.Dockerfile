FROM debian:12
RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends git
RUN rm -rf /var/lib/apt/lists/*
RUN --mount=type=tmpfs,target=/tmp curl -o /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt
RUN rm -f /tmp/x.tgz
