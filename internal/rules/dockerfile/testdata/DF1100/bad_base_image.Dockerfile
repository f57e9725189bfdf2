# No command of its own: a base for other Dockerfiles, which choose the user.
# want DF1100 "base image: it sets no CMD or ENTRYPOINT of its own" severity=low
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
