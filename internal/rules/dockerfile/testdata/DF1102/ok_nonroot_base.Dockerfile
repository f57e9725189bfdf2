FROM golang:1.23 AS build
USER nobody
RUN go build -o /tmp/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /tmp/app /app
CMD ["/app"]
