FROM debian:12
RUN tmp="$(mktemp -d)" && cd "$tmp" && curl -fsSLO https://example.com/a.tgz && rm -rf "$tmp"
RUN cd "$(mktemp -d)" && echo hi
RUN (cd /opt/src && make) && make -C /opt/other
RUN cd - && echo back
RUN cd && ls
WORKDIR /app
RUN make
