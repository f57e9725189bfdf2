# A container kept alive to exec into is a workspace, not a deployment.
# want DF1100 "development or CI image: its command \\(sleep\\) only keeps the container alive" severity=info
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
CMD ["sleep", "infinity"]
