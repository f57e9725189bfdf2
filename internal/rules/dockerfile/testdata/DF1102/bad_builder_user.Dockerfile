FROM golang:1.23 AS build
RUN useradd -u 10001 builder
# want DF1102 "USER builder is set in stage \"build\".*only; it does not carry into the final stage #1"
USER builder
RUN go build -o /tmp/app .

FROM debian:12-slim
COPY --from=build /tmp/app /app
CMD ["/app"]
