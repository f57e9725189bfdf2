FROM debian:12
# want DF1806 "pipeline curl \\| tar runs without pipefail"
RUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local
# The finding points at the pipe, on its own line of the continuation.
RUN apt-get update && \
    # want DF1806 "pipeline wget \\| sh"
    wget -qO- https://example.com/install | sh
# want DF1806 "pipeline cat \\| grep"
RUN bash -c 'cat /etc/os-release | grep -q bookworm'
# set after the pipe does not help it.
# want DF1806 "pipeline cat \\| sort"
RUN cat a | sort > b; set -o pipefail
