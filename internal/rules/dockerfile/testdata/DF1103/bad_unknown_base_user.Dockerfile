# The base image's user is unknown to this file: some images run as a
# non-root account and need sudo for this step.
FROM ghcr.io/acme/build-base:1.4
# want DF1103 "sudo apt-get: the stage sets no USER, so RUN already runs as the base image's user" severity=low
RUN sudo apt-get update
EXPOSE 8080
CMD ["/app"]
