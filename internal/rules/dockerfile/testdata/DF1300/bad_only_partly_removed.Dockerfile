FROM alpine:3.20
RUN apk add --no-cache --virtual .build-deps gcc musl-dev \
# want DF1300 "apk installs build toolchain make"
    && apk add --no-cache make \
    && gcc -o /usr/local/bin/hello hello.c \
    && apk del .build-deps
# want DF1300 "`mvnw package`"
RUN ./mvnw -B clean package -DskipTests
