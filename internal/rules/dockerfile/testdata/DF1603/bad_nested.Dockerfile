FROM alpine:3.20
# want DF1603 "apk add"
RUN sh -c 'apk add git'
