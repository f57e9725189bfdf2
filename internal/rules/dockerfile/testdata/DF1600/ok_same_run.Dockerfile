FROM debian:12
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
RUN <<EOF
apt-get update
apt-get install -y --no-install-recommends gettext
rm -rf /var/lib/apt/lists/*
EOF
RUN apk --update add easy-rsa
RUN apk update --no-cache && apk upgrade --no-cache
