# settings: {"max-uid": 999999}
FROM debian:12-slim
RUN useradd -u 123456 app
