FROM debian:12-slim
ENV NODE_TLS_REJECT_UNAUTHORIZED=1
ENV PYTHONHTTPSVERIFY=1
ENV NPM_CONFIG_STRICT_SSL=true
ENV ASDFGIT_SSL_NO_VERIFY=1 GIT_SSL_NO_VERIFYX=1
ARG NODE_TLS_REJECT_UNAUTHORIZEDLOL=0
ENV PIP_TRUSTED_HOST=
RUN curl -fsSL -o /tmp/a https://example.com/a
RUN curl -lol https://example.com
RUN curl -o k https://example.com/k
RUN curl https://example.com | grep -k lol
RUN wget -k -r https://example.com/site/
RUN wget https://example.com; grep "--no-check-certificate" /etc/passwd
RUN pip install checkov | grep "--trusted-host"
RUN echo "--trusted-host" && pip install -i https://mirror.example.com/simple requests==2.32.3
RUN npm config set strict-ssl true || false
RUN npm install strict-ssl false
RUN npm config get strict-ssl
RUN yarn config set audit false
RUN git config --global http.sslVerify true
RUN git config --global http.postBuffer 524288000
RUN yum-config-manager --save --setopt=sslverify=1
RUN yum-config-manager --save --setopt=install_weak_deps=False && echo "--setopt=main.sslverify=0"
RUN echo "sslverify=0"
RUN sed -i 's/sslverify=0/sslverify=1/' /etc/yum.conf
RUN unset GIT_SSL_NO_VERIFY
RUN NODE_TLS_REJECT_UNAUTHORIZED="0\"" node app.js
RUN apt-get -o Acquire::https::Verify-Peer=true update
