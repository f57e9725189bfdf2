FROM alpine:3.20
RUN apk add --no-cache python3
RUN apk --no-cache add curl
RUN apk update && apk add git && rm -rf /var/cache/apk/*
RUN --mount=type=cache,target=/var/cache/apk apk add jq
RUN --mount=type=cache,target=/etc/apk/cache apk add --update-cache bash
RUN apk fix
