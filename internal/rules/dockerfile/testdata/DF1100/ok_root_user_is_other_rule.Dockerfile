# USER root is DF1101's business, not a missing USER.
FROM alpine:3.20
USER root
CMD ["sh"]
