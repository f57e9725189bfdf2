FROM debian:12-slim
USER root
RUN gosu nobody true && su-exec nobody true
