# want DF1200 "base image \"alpine\" has no tag, so it resolves to alpine:latest"
FROM alpine
RUN echo hi
