# options: target=prod
FROM debian:12 AS dev
RUN apt-get update && apt-get install -y vim

FROM debian:12 AS prod
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*

FROM prod AS test
RUN apt-get update && apt-get install -y bats
