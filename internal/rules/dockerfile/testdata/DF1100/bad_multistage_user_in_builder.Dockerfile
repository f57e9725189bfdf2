FROM golang:1.23 AS build
USER nobody
RUN go build -o /tmp/app .

# want DF1100 "final stage \"Runtime\" \\(FROM debian:12-slim\\) never switches.*application" severity=medium
FROM debian:12-slim AS Runtime
COPY --from=build /tmp/app /app
CMD ["/app"]
