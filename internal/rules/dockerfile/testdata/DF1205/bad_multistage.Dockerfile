# want DF1205 "stage build .*\"linux/arm64/v8\""
FROM --platform=linux/arm64/v8 golang:1.24 AS build
RUN go build -o /app .

FROM --platform=$BUILDPLATFORM alpine:3.21 AS fetch

# want DF1205 "stage #2 .*\"linux/arm64\""
FROM --platform=linux/arm64 \
     gcr.io/distroless/static-debian12
COPY --from=build /app /app
