FROM alpine:3.20
RUN adduser -D app
USER app
RUN echo building
# want DF1101 "last USER of final stage #0 \\(FROM alpine:3.20\\) is \"root\".*base image: its command is a shell" severity=low
USER root
RUN apk add --no-cache curl
CMD ["sh"]
