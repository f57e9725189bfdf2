FROM alpine:3.20
# want DF1400 "ARG API_KEY"
ARG API_KEY
ENV API_KEY_FILE=/run/secrets/api_key \
# want DF1400 "ENV MAIL_PASSWD"
    MAIL_PASSWD=hunter2
USER nobody
