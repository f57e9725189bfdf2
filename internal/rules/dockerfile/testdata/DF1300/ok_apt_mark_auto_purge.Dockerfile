FROM debian:12-slim
RUN set -eux; \
    savedAptMark="$(apt-mark showmanual)"; \
    apt-get update; \
    apt-get install -y --no-install-recommends gcc libc6-dev make wget; \
    make -C /usr/src/app install; \
    apt-mark auto '.*' > /dev/null; \
    [ -z "$savedAptMark" ] || apt-mark manual $savedAptMark; \
    apt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \
    rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y build-essential && make && apt-get purge -y build-essential && rm -rf /var/lib/apt/lists/*
RUN apt-mark showmanual | xargs apt-mark auto && apt-get install -y cmake && cmake --build . && apt-get autoremove -y
USER nobody
