FROM alpine:3.20
# want DF1804 "MAINTAINER Jane Doe <jane@example.com> is deprecated"
MAINTAINER Jane Doe <jane@example.com>
FROM alpine:3.20 AS two
# want DF1804 "is deprecated"
maintainer "someone@example.org"
