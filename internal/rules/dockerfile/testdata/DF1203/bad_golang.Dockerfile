# want DF1203 "\"golang:1.24\"; use gcr.io/distroless/static-debian12 or scratch"
FROM golang:1.24
WORKDIR /src
COPY . .
RUN go build -o /app .
CMD ["/app"]
