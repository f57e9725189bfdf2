# want DF1204 "base image \"debian:buster-slim\": Debian 10 .buster. reached end of life on 2024-06-30"
FROM debian:buster-slim AS a
# want DF1204 "Debian 9 .stretch. reached end of life on 2022-06-30"
FROM debian:9 AS b
# want DF1204 "Ubuntu 20.04 .focal. reached end of life on 2025-05-31"
FROM ubuntu:focal-20240530 AS c
# want DF1204 "Ubuntu 18.04"
FROM ubuntu:18.04 AS d
# want DF1204 "Alpine 3.14 reached end of life on 2023-05-01"
FROM alpine:3.14.2 AS e
# want DF1204 "Alpine 3.20 reached end of life on 2026-04-01"
FROM public.ecr.aws/docker/library/alpine:3.20
