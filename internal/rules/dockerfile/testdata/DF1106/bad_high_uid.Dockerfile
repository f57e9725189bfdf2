FROM debian:12-slim
# want DF1106 "useradd -u 123456 without -l grows /var/log/lastlog to about 34 MB"
RUN useradd -u 123456 app
ARG APP_UID=1000000
# want DF1106 "useradd -u 1000000"
RUN groupadd -g 1000 app2 && useradd --uid=${APP_UID} -g app2 app2
# want DF1106 "useradd -u 70000"
RUN useradd -m -u70000 app3
