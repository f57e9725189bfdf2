FROM debian:12
# want DF1602 "`apt-get install` also installs recommended packages"
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
# want DF1602 "`apt install`"
RUN apt update && apt -y install \
      git \
 && rm -rf /var/lib/apt/lists/*
# want DF1602 "apt-get install"
RUN ["apt-get", "install", "-y", "apt-utils"]
