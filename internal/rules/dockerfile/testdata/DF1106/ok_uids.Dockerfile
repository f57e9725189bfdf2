FROM debian:12-slim
RUN useradd -u 10001 app
RUN useradd --no-log-init -u 123456 app2 && useradd -l --uid 999999 app3 && useradd -rlu 200000 app4
RUN adduser --uid 200000 --disabled-password app5
ARG UNKNOWN_UID
RUN useradd -u "$UNKNOWN_UID" app6
