FROM alpine:3.20
# want DF1603 "`apk add` without --no-cache keeps the package index"
RUN apk add --no-cache --update-cache python3
# want DF1603 "apk add"
RUN apk update && apk add --no-cache curl
# want DF1603 "apk add"
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
 && make \
 && apk del .build-deps
# want DF1603 "apk upgrade"
RUN apk upgrade --no-cache
