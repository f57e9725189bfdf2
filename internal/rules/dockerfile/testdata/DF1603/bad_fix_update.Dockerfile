FROM alpine:3.20
# With --no-cache apk fetches the index itself: the apk update goes.
# want DF1603 "apk add"
RUN apk update && \
    apk add curl ca-certificates
RUN echo done
