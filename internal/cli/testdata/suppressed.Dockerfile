FROM scratch
COPY app /app
# shipshape ignore=DF1101 -- the base image needs root to bind port 80
USER root
ENTRYPOINT ["/app"]
