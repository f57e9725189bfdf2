FROM debian:12-slim
RUN curl -fsSLo /tmp/x.tgz https://example.com/x.tgz
RUN curl -fsS http://localhost:8080/healthz && curl -fsS http://127.0.0.1:9000/ready && wget -qO- http://tei:80/info
RUN curl -fsS http://10.0.0.5/mirror/x.tgz -o /tmp/m.tgz && curl -x http://proxy.example.com:3128 -fsSLo /tmp/y https://example.com/y
ARG ATD_SHA256=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
RUN curl -sSL "http://www.polishmywriting.com/download/atd_distribution081310.tgz" -o /tmp/atd.tar.gz \
 && echo "${ATD_SHA256}  /tmp/atd.tar.gz" | sha256sum -c - \
 && tar -xzf /tmp/atd.tar.gz -C /opt
HEALTHCHECK CMD curl -f http://example.com/ || exit 1
