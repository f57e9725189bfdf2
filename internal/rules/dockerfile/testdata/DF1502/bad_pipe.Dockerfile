FROM debian:12-slim
# want DF1502 "curl is piped into sh"
RUN curl -fsSL https://example.com/install.sh | sh
# want DF1502 "wget is piped into bash"
RUN wget -qO- https://example.com/install.sh | bash -s -- --yes
RUN apt-get update \
# want DF1502 "curl is piped into bash"
 && curl -sL https://deb.nodesource.com/setup_20.x | sudo -E bash - \
 && apt-get install -y nodejs
# want DF1502 "curl is piped into python3"
RUN curl -sSL https://install.python-poetry.org | python3 -
# want DF1502 "wget is piped into sh"
RUN wget -O - https://example.com/x.sh | tee /tmp/x.sh | sh
