# settings: {"ignore-packages": ["libpq-dev", "*-headers"]}
FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev linux-headers && rm -rf /var/lib/apt/lists/*
USER nobody
