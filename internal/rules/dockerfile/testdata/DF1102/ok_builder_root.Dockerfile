# A builder that switches to root says nothing about the final image.
FROM golang:1.23 AS build
USER root
RUN go build -o /tmp/app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /tmp/app /app
CMD ["/app"]
