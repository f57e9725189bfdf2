# syntax=docker/dockerfile:1
FROM debian:12
# want DF1809 "apt-get install without -y"
RUN <<EOF
set -e
apt-get update
apt-get install curl
EOF
# want DF1809 "dnf install"
RUN --mount=type=cache,target=/var/cache/dnf sh -c 'dnf install git'
