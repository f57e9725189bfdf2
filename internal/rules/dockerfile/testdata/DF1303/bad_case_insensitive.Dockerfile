FROM --platform=$BUILDPLATFORM golang:1.23 AS Builder
RUN go build ./...

FROM node:22 AS web
RUN npm ci

# want DF1303 "stage name \"BUILDER\" is already used by the stage at line 1"
FROM rust:1.80 AS BUILDER
RUN cargo build

# want DF1303 "stage name \"web\" is already used by the stage at line 4"
FROM node:22 \
  AS web
RUN npm test
