FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/*
RUN wget https://example.com/f.tar
WORKDIR /app
RUN echo one
COPY . .
RUN echo two
RUN --mount=type=cache,target=/root/.npm npm ci
RUN npm run build
RUN set -eux; \
    ./configure; \
    make; \
    make install
RUN echo three
