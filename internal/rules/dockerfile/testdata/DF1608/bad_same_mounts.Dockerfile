FROM golang:1.23
# want DF1608 "2 consecutive"
RUN --mount=type=cache,target=/root/.cache/go-build go vet ./...
RUN --mount=type=cache,target=/root/.cache/go-build go build -o /app .
