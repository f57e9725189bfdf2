FROM golang:1.22 AS build
# want DF1802 "stage build"
CMD ["./app"]
CMD ["./apps"]

FROM alpine:3.20
COPY --from=build /go/bin/app /app
CMD ["/app"]
