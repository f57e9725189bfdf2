FROM debian:12
# The command goes on a line of its own, in the style of the line before.
# want DF1601 "apt-get update"
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl; \
	curl --version
# want DF1601 "apt-get update"
RUN apt-get update && \
    apt-get install -y --no-install-recommends git # the tools
# A heredoc, a script that ends in the background and apt inside sh -c
# are left alone.
# want DF1601 "apt-get update"
RUN <<EOT
apt-get update
apt-get install -y --no-install-recommends make
EOT
# want DF1601 "apt-get update"
RUN apt-get update && apt-get install -y --no-install-recommends procps && sleep 1 &
# want DF1601 "apt-get update"
RUN sh -c 'apt-get update && apt-get install -y --no-install-recommends jq'
