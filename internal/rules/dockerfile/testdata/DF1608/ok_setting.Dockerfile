# settings: {"max-commands": 1}
FROM debian:12
RUN mkdir -p /app && chown nobody /app
RUN echo a && echo b
