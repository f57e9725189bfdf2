FROM golang:1.23 AS build
RUN go build -o /app .

# want DF1901 "FROM scratch.*EXPOSEs 8080"
FROM scratch
COPY --from=build /app /app
EXPOSE 8080
ENTRYPOINT ["/app"]
