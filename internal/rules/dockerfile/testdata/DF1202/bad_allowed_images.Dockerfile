# settings: {"allowed-images": ["docker.io/library/*", "gcr.io/distroless/*"]}
FROM node:22-alpine AS build
FROM library/alpine:3.21 AS alpine
# want DF1202 "\"someuser/node:22\" .docker.io/someuser/node. matches none of allowed-images"
FROM someuser/node:22 AS tools
FROM gcr.io/distroless/nodejs22-debian12
