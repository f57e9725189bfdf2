FROM debian:12
RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz \
 && tar -xzf /tmp/tool.tgz -C /opt \
 && rm /tmp/tool.tgz
RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists/*
RUN rm -rf /var/lib/apt/lists/*
RUN wget -O- https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg
RUN rm -f /etc/apt/sources.list.d/old.list
COPY . /app
WORKDIR /app
# Deleting inside a copied tree is not reported: the same RUN may have made it.
RUN make build && rm -rf /app/build/tmp
RUN rm -rf node_modules/.cache
