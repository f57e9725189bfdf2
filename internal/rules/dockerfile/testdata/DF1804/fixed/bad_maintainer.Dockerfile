FROM alpine:3.20
# want DF1804 "MAINTAINER Jane Doe <jane@example.com> is deprecated"
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
FROM alpine:3.20 AS two
# want DF1804 "is deprecated"
LABEL org.opencontainers.image.authors="someone@example.org"
