FROM debian:12 AS runtime-base
# want DF1601 "apt-get update"
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates

FROM golang:1.23 AS build
RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler
RUN go build -o /out/app .

FROM runtime-base
COPY --from=build /out/app /app
