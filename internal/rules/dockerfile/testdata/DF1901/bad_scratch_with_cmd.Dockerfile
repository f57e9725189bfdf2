FROM golang:1.23 AS build
RUN go build -o /app .

# want DF1901 "FROM scratch"
FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
