FROM alpine:3.20
RUN apk update && apk add nginx
RUN apk -U add nano
RUN apk add --no-cache vim
