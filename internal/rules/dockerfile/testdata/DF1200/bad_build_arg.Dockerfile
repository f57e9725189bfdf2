# options: build-arg=VERSION=latest
ARG VERSION=20
# want DF1200 "\"node:latest\""
FROM node:${VERSION}
