FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN curl -fsSL https://example.com/install.sh -o /tmp/i.sh && sh /tmp/i.sh && rm /tmp/i.sh
FROM debian:12 AS second
RUN echo a
FROM debian:12 AS third
RUN echo b
