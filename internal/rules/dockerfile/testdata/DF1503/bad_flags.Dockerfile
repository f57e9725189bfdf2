FROM debian:12-slim
# want DF1503 "curl -sSLk turns off"
RUN curl -sSLk -o /tmp/a.tgz https://example.com/a.tgz
RUN curl \
# want DF1503 "curl --insecure"
    --insecure \
    -o /tmp/b https://example.com/b
# want DF1503 "wget --no-check-certificate"
RUN echo start && wget --no-check-certificate https://example.com/c
# want DF1503 "pip3 --trusted-host pypi.org accepts"
RUN pip3 install --trusted-host pypi.org -r requirements.txt
# want DF1503 "python3 -m pip --trusted-host files.pythonhosted.org"
RUN python3 -m pip install --trusted-host=files.pythonhosted.org requests==2.32.3
# want DF1503 "git -c http.sslVerify=false"
RUN git -c http.sslVerify=false clone https://example.com/repo.git
# want DF1503 "git config sets http.sslverify to false"
RUN git config --global http.sslverify "false"
# want DF1503 "npm config sets strict-ssl to false"
RUN npm config set "strict-ssl" false
# want DF1503 "yarn config sets strict-ssl to false"
RUN yarn config set strict-ssl=false --global
# want DF1503 "npm --strict-ssl=false"
RUN npm install --strict-ssl=false
# want DF1503 "yum-config-manager --setopt=\\*.sslverify=0"
RUN yum-config-manager --save --setopt=\*.sslverify=0
# want DF1503 "dnf --setopt=sslverify=False"
RUN dnf install -y --setopt="sslverify=False" httpd
# want DF1503 "Verify-Peer=false"
RUN apt-get -o Acquire::https::Verify-Peer=false update
