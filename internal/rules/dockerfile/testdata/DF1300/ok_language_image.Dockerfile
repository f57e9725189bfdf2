# The language image itself (as docker-library/php builds it): the
# compilers stay so that its users can build extensions, even though it
# serves with php-fpm.
FROM debian:bookworm-slim
ENV PHPIZE_DEPS="autoconf dpkg-dev file g++ gcc libc-dev make pkg-config re2c"
ENV PHP_VERSION=8.3.12
RUN apt-get update && apt-get install -y --no-install-recommends $PHPIZE_DEPS ca-certificates curl && rm -rf /var/lib/apt/lists/*
EXPOSE 9000
CMD ["php-fpm"]
