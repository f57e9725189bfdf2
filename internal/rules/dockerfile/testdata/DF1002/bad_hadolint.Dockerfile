FROM debian:12-slim
# want DF1002 "is not one hadolint reads"
# hadolint ignore DL3008
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 && rm -rf /var/lib/apt/lists/*
# want DF1002 "names DF1505, a shipshape rule"
# hadolint ignore=DF1505
RUN pip install --no-cache-dir requests
