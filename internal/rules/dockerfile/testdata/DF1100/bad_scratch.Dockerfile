FROM golang:1.23 AS build
RUN CGO_ENABLED=0 go build -o /out/app .

# want DF1100 "FROM scratch.*UID 0.*numeric USER" severity=medium
FROM scratch
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
