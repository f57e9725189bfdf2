FROM golang:1.23 AS build
WORKDIR /src
# A build stage: its layers never ship.
COPY go.mod ./
COPY go.sum ./
RUN go build -o /app .

FROM gcr.io/distroless/static-debian12
# Different destinations, different flags, a stage copy: not mergeable.
COPY --from=build /app /app
COPY --from=build /etc/ssl/certs /etc/ssl/certs
COPY config.yaml /etc/app/
COPY --chown=65532 data/ /var/lib/app/
COPY --chown=65532 seed.db /var/lib/app/seed/
USER 65532
