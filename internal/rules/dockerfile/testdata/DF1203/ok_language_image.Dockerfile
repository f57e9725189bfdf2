# The python image itself: it installs the language on a full Debian on
# purpose (buildpack-deps), so that pip can build native wheels.
FROM debian:bookworm
ENV PYTHON_VERSION=3.13.1
RUN apt-get update && apt-get install -y --no-install-recommends gcc make && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
