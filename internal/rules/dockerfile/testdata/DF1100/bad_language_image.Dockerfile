# A language image itself, made like the official ones.
# want DF1100 "toolchain image: it installs a language \\(ENV PYTHON_VERSION\\)" severity=low
FROM debian:12-slim
ENV PYTHON_VERSION=3.12.7
RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
