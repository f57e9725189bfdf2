FROM python:3.12-slim AS base
# want DF1810 "ONBUILD trigger \"RUNN x\" will fail every build"
ONBUILD RUNN x
# want DF1810 "never runs"
ONBUILD COPY . /app

FROM alpine:3.20
COPY --from=base /usr/local/bin/python3 /usr/bin/python3
