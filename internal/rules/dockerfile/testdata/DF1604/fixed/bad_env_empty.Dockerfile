FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=
# want DF1604 "pip install"
RUN pip install --no-cache-dir -r requirements.txt
