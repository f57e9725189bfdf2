FROM debian:12-slim
ENV NODE_VERSION=20.11.1
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 ./vendor.deb /tmp/x.deb python3/bookworm-backports
RUN apt-get install -y -t python=2.7
RUN apt-get install -y nodejs=${NODE_VERSION}-1nodesource1 $(cat /tmp/pkgs) $UNKNOWN
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 libstdc++==11.2.1 musl-dev~1.2 /tmp/pkg.apk
RUN ["apk", "add", "--virtual .test", "py-pip=7.1.2-r0"]
RUN pip install --no-cache-dir -r /usr/src/app/requirements.txt
RUN pip3 install -c constraints.txt flask
RUN pip install . && pip install -e ./lib && pip install /wheels/*.whl dist/app-1.0.tar.gz
RUN pip install "requests[socks]==2.32.3" 'uvicorn~=0.30' "git+https://github.com/org/repo.git@v1.2.0#egg=repo"
RUN pip install --upgrade pip setuptools wheel
RUN sudo pip install --upgrade pip=20.3 connexion=2.7.0
RUN npm install && npm ci && npm install --production --no-cache
RUN npm install sax@0.1.1 git://github.com/npm/cli.git#v1.0.27 ./local-pkg @scope/pkg@1.2.3 https://example.com/pkg.tgz
RUN npm install git+ssh://git@github.com:npm/cli#semver:^5.0
RUN yarn install --frozen-lockfile && yarn add react@18.3.1
RUN gem install bundler:2.0.2 && gem install rails -v 7.1.3 && bundle install
RUN gem install grpc:${GRPC_VERSION} grpc-tools:${GRPC_VERSION}
RUN go install golang.org/x/tools/gopls@v0.16.1 && go install ./cmd/... && go install example.com/tool
RUN dnf -y install httpd-2.24.2 rethinkdb-$RETHINKDB_VERSION @development-tools /tmp/vendor.rpm && dnf clean all
RUN zypper install -y httpd=2.4.46
RUN apt-get update && apt-get upgrade -y && apt-get download curl
