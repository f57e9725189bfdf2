FROM python:3.12-slim AS base
WORKDIR /app

FROM base AS final
# want DF1300 "apt-get installs build toolchain build-essential, libpq-dev in the final stage"
RUN apt-get update && apt-get install -y --no-install-recommends \
      build-essential \
      libpq-dev \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
USER nobody
