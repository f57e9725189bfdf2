# Windows (CRLF) line endings must not change what shipshape reports.
# Heredocs, a comment inside a continuation and several rule triggers.
ARG BASE=debian:12-slim
FROM ${BASE} AS build
RUN apt-get update && \
    # a comment inside the continuation
    apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && \
    rm -rf /var/lib/apt/lists/*
RUN <<EOF
set -e
echo built > /tmp/out
EOF
COPY --chmod=0755 <<EOF /usr/local/bin/start
#!/bin/sh
exec "$@"
EOF

FROM build
LABEL org.opencontainers.image.title="crlf" \
      org.opencontainers.image.vendor="nobody"
WORKDIR app
ENV MODE=production
EXPOSE 22 8080/tcp
USER root
RUN cd /srv && curl -fsSL https://example.com/install.sh | sh
CMD npm start
