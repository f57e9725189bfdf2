FROM alpine:3.20 AS tools
# BusyBox ash knows pipefail.
# want DF1806 "pipeline curl \\| tar"
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local
RUN set -eux; \
    # want DF1806 "pipeline wget \\| sha256sum"
    wget -qO- https://example.com/x | sha256sum > /x.sum; \
    cat /x.sum
# Under set -e a pipe left of && may fail without failing the RUN: no fix.
# want DF1806 "pipeline curl \\| grep"
RUN set -e; curl -fsS https://example.com | grep -q ok && touch /ok; echo done
# A pipe in an if condition: no fix.
# want DF1806 "pipeline cat \\| grep"
RUN if cat /etc/os-release | grep -q alpine; then echo alpine; fi

FROM registry.access.redhat.com/ubi9/ubi:9.4
# The RPM family's /bin/sh is bash.
# want DF1806 "pipeline rpm \\| sort"
RUN rpm -qa | sort > /pkgs.txt

FROM node:20
SHELL ["/bin/bash", "-c"]
# want DF1806 "pipeline curl \\| bash"
RUN curl -fsSL https://example.com/setup | bash -
