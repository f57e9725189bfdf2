FROM scratch AS first
# want DF1811 "COPY uses \\$foo"
COPY $foo .

FROM alpine:3.20 AS second
ARG APP_DIR=/srv/app
# want DF1811 "COPY uses \\$APPDIR, .* \\(did you mean \\$APP_DIR\\?\\)"
COPY app/ $APPDIR/
# want DF1811 "WORKDIR uses \\$TARGETARCH.* predefined platform ARG"
WORKDIR /build/${TARGETARCH}
# want DF1811 "ENV uses \\$VERSON, .* \\(did you mean \\$VERSION\\?\\)"
ENV VERSION=1.0 FULL=app-$VERSON
# want DF1811 "ENV uses \\$REL, .* set by this same ENV"
ENV REL=2 TAG=v$REL
# Not known here: the base image may define them.
USER $APP_USR
USER $IMAGE_DEFINED_USER
