# Names ending in a bare KEY or AUTH are lookup keys and methods as often
# as credentials: without a credential-looking value they are not reported.
FROM alpine:3.20
ARG CACHE_KEY
ARG PARTITION_KEY=tenant
ARG NODE_AUTH
ENV OBJECT_KEY=index.html PRIMARY_KEY=user_id SORT_KEY=name
ENV SHORTCUT_KEY=F12 REDIS_KEY_PREFIX=app KEYCLOAK_URL=http://keycloak:8080
ENV CACHE_KEY=${CACHE_KEY}
CMD ["sh"]
