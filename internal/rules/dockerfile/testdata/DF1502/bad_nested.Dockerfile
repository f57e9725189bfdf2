FROM alpine:3.20
# want DF1502 "curl is piped into sh"
RUN ["/bin/sh", "-c", "curl -fsSL https://example.com/i.sh | sh"]
# want DF1502 "curl is piped into ash"
RUN sh -c 'apk add curl && curl -fsSL https://example.com/i.sh | ash'
RUN <<EOF
set -e
# want DF1502 "curl is piped into bash"
curl -fsSL https://example.com/i.sh | bash
EOF
RUN <<EOF
# want DF1502 "curl is executed by sh"
sh -c "$(curl -fsSL https://example.com/i.sh)"
EOF
