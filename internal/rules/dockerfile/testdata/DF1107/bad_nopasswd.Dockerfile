FROM debian:bookworm-slim AS bench
RUN useradd -ms /bin/bash frappe \
    && apt-get update && apt-get install -y --no-install-recommends sudo \
# want DF1107 "lets frappe, the user the container runs as, run anything as root without a password"
    && echo "frappe ALL=(ALL) NOPASSWD: ALL" >> /etc/sudoers \
    && rm -rf /var/lib/apt/lists/*
USER frappe
FROM bench AS bench-test
RUN echo test
