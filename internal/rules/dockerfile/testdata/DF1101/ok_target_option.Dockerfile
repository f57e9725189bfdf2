# options: target=prod
FROM alpine:3.20 AS prod
USER 10001

FROM prod AS debug
USER root
