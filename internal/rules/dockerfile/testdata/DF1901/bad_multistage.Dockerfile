FROM golang:1.16 AS builder
HEALTHCHECK CMD curl --fail http://localhost:3000 || exit 1
RUN go build -o app .

# want DF1901 "final stage \"run\""
FROM alpine:3.20 AS run
COPY --from=builder /app ./
USER patrick
CMD ["./app"]
