FROM golang:1.22 AS build
# A builder stage's CMD never reaches an image.
CMD go run .

FROM nginx:1.27
COPY --from=build /go/bin/app /app
CMD exec nginx -g 'daemon off;'
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
