FROM alpine:3.20
ENV PHPIZE_DEPS="autoconf dpkg-dev file g++ gcc libc-dev make pkgconf re2c"
RUN set -eux; \
    apk add --no-cache --virtual .build-deps $PHPIZE_DEPS openssl-dev; \
    ./configure && make -j"$(nproc)" && make install; \
    apk del --no-network .build-deps
RUN apk add --no-cache -t .compile gcc musl-dev && cc -o /bin/x x.c && apk del .compile
USER nobody
