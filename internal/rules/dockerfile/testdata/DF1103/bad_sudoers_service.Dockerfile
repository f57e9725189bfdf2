FROM debian:12-slim
RUN useradd -m app && apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
USER app
# want DF1103 "sudo apt-get relies on a sudoers rule for USER app" severity=medium
RUN sudo apt-get update
EXPOSE 8080
CMD ["/app"]
