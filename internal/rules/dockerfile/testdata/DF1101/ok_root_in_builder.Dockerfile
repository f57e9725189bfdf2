FROM golang:1.16 AS builder
USER root
RUN go build -o /app .

FROM alpine:3.20
COPY --from=builder /app /app
RUN adduser -D patrick
USER patrick
