# options: target=dev
# An explicitly chosen target is what the user builds, whatever its name.
# want DF1203 "\"debian:12\"; use debian:12-slim" severity=low
FROM debian:12 AS dev
RUN echo dev

FROM gcr.io/distroless/base-debian12
