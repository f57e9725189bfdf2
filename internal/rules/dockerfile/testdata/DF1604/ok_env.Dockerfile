FROM python:3.12-slim
# pip disables the cache for any boolean value, "false" included.
ENV PIP_NO_CACHE_DIR=false
RUN pip install -r requirements.txt

FROM python:3.12-slim AS second
ARG PIP_NO_CACHE_DIR=1
RUN pip install flask

FROM python:3.12-slim AS third
ENV PIP_CACHE_DIR=/var/cache/pip
RUN --mount=type=cache,target=/var/cache/pip pip install requests
