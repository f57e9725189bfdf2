FROM golang:1.23 AS build
USER nobody
RUN go build -o /tmp/app .

FROM debian:12-slim
COPY --from=build /tmp/app /app
USER 65532
CMD ["/app"]
