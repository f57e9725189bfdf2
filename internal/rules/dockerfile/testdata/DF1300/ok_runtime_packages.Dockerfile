FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libpq5 devscripts-el tzdata \
    && rm -rf /var/lib/apt/lists/*
RUN go version && gcc --version && make --version
RUN npm run start && yarn test
USER nobody
