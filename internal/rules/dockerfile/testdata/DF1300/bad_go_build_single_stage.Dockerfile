FROM golang:1.23
WORKDIR /src
COPY . .
# want DF1300 "`go build` builds in the only \\(final\\) stage"
RUN go mod download && go build -o /app ./cmd/server
CMD ["/app"]
