FROM debian:12 AS runtime-base
# want DF1601 "apt-get update"
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*

FROM golang:1.23 AS build
RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler
RUN go build -o /out/app .

FROM runtime-base
COPY --from=build /out/app /app
