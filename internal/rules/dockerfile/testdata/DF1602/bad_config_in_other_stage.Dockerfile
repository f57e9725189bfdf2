FROM debian:12 AS a
RUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norecommends

FROM debian:12
# want DF1602 "apt-get install"
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
