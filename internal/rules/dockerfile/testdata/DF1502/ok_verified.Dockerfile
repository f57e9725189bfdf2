FROM debian:12-slim
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \
 && echo "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
RUN curl -fsSL https://example.com/app.tar.gz | tar -xz -C /opt
RUN wget -O /tmp/x.sh https://example.com/x.sh | sh
RUN curl -fsSL https://example.com/data.json | python3 -c 'import json,sys; print(json.load(sys.stdin)["v"])'
RUN curl -fsSL https://example.com/list | sh -c 'cat > /tmp/list'
RUN curl -fsSL https://example.com/x | bash /opt/consume.sh
RUN sh -c "echo $(curl -fsSL https://example.com/version)"
RUN echo "curl https://example.com | sh" > /tmp/note
RUN wget https://example.com/x.sh | sh
