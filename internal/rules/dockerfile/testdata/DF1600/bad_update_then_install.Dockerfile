FROM debian:12
RUN apt-get update
# want DF1600 "`apt-get install` relies on the package index that `apt-get update` at line 2 stored in an earlier layer"
RUN apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
