FROM golang:1.23 AS builder
RUN go build -o /out/app .

FROM alpine:3.20
# want DF1302 "COPY --from=biulder names no stage \\(did you mean stage \"builder\"\\?\\); BuildKit will pull it as the image docker.io/library/biulder:latest"
COPY --from=biulder /out/app /app
# want DF1302 "RUN --mount from=artifacts names no stage"
RUN --mount=type=bind,from=artifacts,source=/x,target=/x cp /x /y
