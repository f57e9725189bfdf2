FROM golang:1.23 AS build
RUN apt-get update && apt-get install -y protobuf-compiler
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
