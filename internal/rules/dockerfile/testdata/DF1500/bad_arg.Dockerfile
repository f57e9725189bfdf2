FROM alpine:3.20
ARG SRC=config.yaml
# want DF1500 "\"[$]SRC\""
ADD $SRC /etc/app/
