FROM alpine:3.20
# want DF1603 "`apk add` without --no-cache keeps the package index"
RUN apk add --update-cache python3
# want DF1603 "apk add"
RUN apk update && apk add curl
# want DF1603 "apk add"
RUN apk add --virtual .build-deps gcc musl-dev \
 && make \
 && apk del .build-deps
# want DF1603 "apk upgrade"
RUN apk upgrade
