FROM debian:12 AS base
RUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/99norecommends \
 && echo 'APT::Install-Suggests "0";' >> /etc/apt/apt.conf.d/99norecommends
RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*

FROM base
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*

FROM debian:12 AS other
RUN printf 'APT::Install-Recommends "false";\n' | tee /etc/apt/apt.conf.d/00-norec
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*

FROM debian:12 AS third
COPY <<EOF /etc/apt/apt.conf.d/01norecommend
APT::Install-Recommends "0";
EOF
RUN apt-get update && apt-get install -y jq && rm -rf /var/lib/apt/lists/*
