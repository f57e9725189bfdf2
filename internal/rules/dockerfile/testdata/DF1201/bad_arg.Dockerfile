ARG DIGEST
ARG IMAGE=debian:12-slim
# want DF1201 "\"debian:12-slim\""
FROM ${IMAGE}
