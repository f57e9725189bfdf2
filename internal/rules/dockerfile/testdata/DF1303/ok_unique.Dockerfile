FROM debian:bookworm AS build
RUN stuff

FROM debian:bookworm AS another-alias
RUN more_stuff

FROM build AS build-2
FROM build
FROM build
