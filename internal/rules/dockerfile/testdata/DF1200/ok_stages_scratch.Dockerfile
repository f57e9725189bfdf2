FROM golang:1.24 AS build
RUN go build -o /app .

FROM build AS test
RUN go test ./...

FROM BUILD AS again

FROM scratch
COPY --from=build /app /app
