FROM debian:12
# The script installs; no later RUN relies on the index.
RUN apt-get update && /usr/local/bin/install-deps.sh
RUN apt update && install -m 0755 tool /usr/local/bin/tool
