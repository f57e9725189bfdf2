# options: target=dev
# want DF1203 "\"ubuntu:24.04\""
FROM ubuntu:24.04 AS dev
RUN echo dev

FROM gcr.io/distroless/base-debian12
