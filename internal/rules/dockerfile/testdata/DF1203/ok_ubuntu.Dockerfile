# Ubuntu publishes no slim variant and its image is already minimised.
FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
EXPOSE 80
CMD ["/app"]
