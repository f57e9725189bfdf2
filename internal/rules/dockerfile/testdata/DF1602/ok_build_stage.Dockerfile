FROM debian:12 AS build
RUN apt-get update && apt-get install -y build-essential
RUN make

FROM gcr.io/distroless/cc-debian12
COPY --from=build /src/app /app
