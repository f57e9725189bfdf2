FROM golang:1.23 AS build
RUN apt-get update && apt-get install -y gcc libc6-dev
WORKDIR /src
COPY . .
RUN go build -o /out/app . && make docs

FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
RUN ["/app", "--version"]
CMD ["/app"]
