# A command-line tool answers no requests: nothing to probe.
FROM alpine:3.20
RUN apk add --no-cache jq
USER nobody
ENTRYPOINT ["jq"]
