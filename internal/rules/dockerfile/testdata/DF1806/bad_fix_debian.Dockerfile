FROM debian:12 AS base
# dash has no pipefail: the safe fix is refused, a review fix puts the
# stage's RUNs under bash -o pipefail, once.
# want DF1806 "pipeline curl \\| tar"
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local
# want DF1806 "pipeline curl \\| sha256sum"
RUN curl -fsSL https://example.com/x | sha256sum > /x.sum

FROM base
# want DF1806 "pipeline wget \\| tar"
RUN wget -qO- https://example.com/y.tgz | tar -xz

FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends curl
# A later RUN whose pipe feeds an if: no SHELL fix for this stage.
# want DF1806 "pipeline curl \\| bash"
RUN curl -fsSL https://example.com/setup | bash -
# want DF1806 "pipeline dpkg \\| grep"
RUN if dpkg -l | grep -q curl; then echo ok; fi
