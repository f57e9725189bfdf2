# settings: {"ignore": ["ca-certificates", "tzdata"]}
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata
