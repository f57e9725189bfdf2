FROM debian:12 AS build
RUN apt-get update && apt-get install -y build-essential && make

FROM debian:12-slim
# want DF1304 "COPY --from=build / copies the whole filesystem of stage build into /"
COPY --from=build / /
