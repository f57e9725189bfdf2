FROM debian:12-slim
ARG APP_UID
RUN useradd --no-log-init -u "${APP_UID}" app
USER ${APP_UID}
CMD ["/app"]
