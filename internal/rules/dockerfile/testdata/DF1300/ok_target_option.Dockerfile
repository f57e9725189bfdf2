# options: target=runtime
FROM alpine:3.20 AS runtime
RUN apk add --no-cache ca-certificates
USER nobody

FROM golang:1.23 AS tools
RUN go build ./...
