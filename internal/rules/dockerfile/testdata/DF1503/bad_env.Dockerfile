FROM node:20-slim
# want DF1503 "ENV sets NODE_TLS_REJECT_UNAUTHORIZED=0.*Node.js"
ENV NODE_TLS_REJECT_UNAUTHORIZED="0"
# want DF1503 "ARG sets PYTHONHTTPSVERIFY=0"
ARG PYTHONHTTPSVERIFY=0
ENV GO111MODULE=on \
# want DF1503 "ENV sets GIT_SSL_NO_VERIFY=1"
    GIT_SSL_NO_VERIFY=1
# want DF1503 "ENV sets npm_config_strict_ssl=false"
ENV npm_config_strict_ssl false
# want DF1503 "ENV sets PIP_TRUSTED_HOST=pypi.org"
ENV PIP_TRUSTED_HOST=pypi.org
# want DF1503 "RUN sets GIT_SSL_NO_VERIFY=true"
RUN apk add git && GIT_SSL_NO_VERIFY=true git clone https://example.com/r.git
# want DF1503 "export sets NODE_TLS_REJECT_UNAUTHORIZED=0"
RUN export NODE_TLS_REJECT_UNAUTHORIZED=0 && npm ci
# want DF1503 "RUN sets PYTHONHTTPSVERIFY=0"
RUN env PYTHONHTTPSVERIFY=0 python3 fetch.py
