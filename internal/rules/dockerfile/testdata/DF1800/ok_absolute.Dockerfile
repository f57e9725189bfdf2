FROM alpine:3.20 AS a
WORKDIR /app
# A later relative WORKDIR resolves against /app, set in this file.
WORKDIR sub
WORKDIR "/quoted/path"

FROM a AS b
WORKDIR more/
