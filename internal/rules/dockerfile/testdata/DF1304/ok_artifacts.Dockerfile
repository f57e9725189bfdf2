FROM golang:1.23 AS build
RUN go build -o /out/app .

FROM scratch AS export
COPY --from=build /out/app /app

FROM export AS export-alias

FROM --platform=$BUILDPLATFORM tonistiigi/xx:1.5.0 AS xx

FROM alpine:3.20
COPY --from=xx / /
COPY --from=export / /usr/local/bin/
COPY --from=export-alias / /opt/
COPY --from=build /out/app /usr/local/bin/app
COPY --from=build /out /out
COPY --from=gloursdocker/docker / /
COPY / /context-root
