FROM alpine:3.20
# An ENV whose value shows it holds no secret leaves none in the image
# configuration: a file it points at, a placeholder, a switch, a
# fingerprint or a plain word given to a bare KEY name.
ENV SSL_KEY=/etc/ssl/private/server.key xpack.security.http.ssl.key=certs/es01/es01.key
ENV DB_PASSWORD=/run/secrets/db_password ADMIN_TOKEN=REPLACE_ME MAIL_PASSWORD=xxxx
ENV NEO4J_AUTH=none DefaultProcess__Filters__0__Key=ProcessName RELEASE_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4
# An ARG default that is a file path names where the secret is kept.
ARG TLS_KEY=/run/secrets/tls.key
# Names that are not a secret's, wherever they appear.
ENV PUBLIC_KEY_PATH=/etc/ssh/ssh_host_ed25519_key.pub KEYBOARD_LAYOUT=us PASSWORD_FILE=/run/secrets/db
ENV MEMCACHED_SASL_PWDB=/etc/sasl2/memcached-sasldb2 CONNECT_KEY_CONVERTER=org.apache.kafka.connect.json.JsonConverter
ENV MAX_TOKENS=4096 TOKENIZERS_PARALLELISM=false PASS_MAX_DAYS=90 PROXY_BYPASS=localhost MYSQL_ALLOW_EMPTY_PASSWORD=yes
ENV STRIPE_PUBLISHABLE_KEY=pk_live_51H8 RECAPTCHA_SITE_KEY=6LcAAAAA ACCESS_TOKEN_EXPIRE_MINUTES=30 PWD=/app
USER nobody
