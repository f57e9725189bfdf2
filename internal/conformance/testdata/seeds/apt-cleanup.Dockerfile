# From seeds/004_f8fefdbd438f565c.txt, "Minimize Layers and Clean Up"; the
# seed shows only the RUN, the FROM line is added.
FROM debian:12-slim
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
      ca-certificates \
      curl && \
    rm -rf /var/lib/apt/lists/*
