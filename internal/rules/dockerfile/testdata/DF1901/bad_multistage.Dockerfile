FROM golang:1.16 AS builder
HEALTHCHECK CMD curl --fail http://localhost:3000 || exit 1
RUN go build -o app .

# The builder's HEALTHCHECK does not carry into the final stage.
# want DF1901 "final stage \"run\".*EXPOSEs 3000"
FROM alpine:3.20 AS run
COPY --from=builder /app ./
USER patrick
EXPOSE 3000
CMD ["./app"]
