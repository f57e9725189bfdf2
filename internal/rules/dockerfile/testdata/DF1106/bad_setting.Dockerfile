# settings: {"max-uid": 9999}
FROM debian:12-slim
# want DF1106 "useradd -u 10001"
RUN useradd -u 10001 app
