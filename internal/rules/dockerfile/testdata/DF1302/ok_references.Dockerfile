ARG BASE_STAGE=build
FROM golang:1.23 AS Build
RUN go build -o /out/app .

FROM scratch AS export
COPY --from=build /out/app /app

FROM alpine:3.20
ARG BASE_STAGE
COPY --from=BUILD /out/app /bin/a
COPY --from=0 /out/app /bin/b
COPY --from=1 /app /bin/c
COPY --from=${BASE_STAGE} /out/app /bin/d
COPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/nginx/
COPY --from=ghcr.io/org/tool@sha256:0123456789012345678901234567890123456789012345678901234567890123 /tool /bin/tool
COPY --from=busybox /bin/busybox /bin/busybox
COPY --from=golang /usr/local/go /usr/local/go
COPY --from=${UNDEFINED_CONTEXT} /x /x
RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=build,source=/out,target=/mnt ls /mnt
RUN --mount=type=secret,id=token cat /run/secrets/token
