FROM python:3.12-slim AS base
ONBUILD COPY requirements.txt /app/
ONBUILD RUN pip install --no-cache-dir -r /app/requirements.txt

FROM base AS app
COPY . /app

FROM python:3.12-slim
ONBUILD COPY . /app
