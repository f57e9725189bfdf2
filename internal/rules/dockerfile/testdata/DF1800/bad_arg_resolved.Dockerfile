FROM alpine:3.20 AS build
ARG DIR=src
# want DF1800 "resolves to the relative path \"src/app\""
WORKDIR $DIR/app

FROM build AS test
WORKDIR tests
