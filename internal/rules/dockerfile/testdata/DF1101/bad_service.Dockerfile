FROM nginx:1.27-alpine
USER root
RUN apk add --no-cache curl
# want DF1101 "is \"root\".*service: it is built on the server image nginx" severity=high
USER root
