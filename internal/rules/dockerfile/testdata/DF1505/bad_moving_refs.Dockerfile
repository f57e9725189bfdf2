# Installs that name a package but follow whatever its source serves today.
ARG TOOL_VERSION=1.4.2
FROM python:3.12-slim AS py
# want DF1505 "pip install does not pin the version of git[+]https://github.com/org/lib.git#egg=lib"
RUN pip install --no-cache-dir git+https://github.com/org/lib.git#egg=lib
# want DF1505 "pip install does not pin the version of git[+]ssh://git@github.com/org/tool.git$"
RUN pip install --root-user-action ignore --no-cache-dir git+ssh://git@github.com/org/tool.git
# want DF1505 "pipx install does not pin the version of poetry"
RUN pipx install poetry && pipx install black==24.4.2
ARG CLI_VERSION
ENV LIB_VERSION=""
# want DF1505 "pip install does not pin the version of cli==[$][{]CLI_VERSION[}] [(]CLI_VERSION has no default[)]"
RUN pip install --no-cache-dir cli==${CLI_VERSION}
# want DF1505 "LIB_VERSION is empty"
RUN pip install --no-cache-dir "lib==$LIB_VERSION"
# The meta ARG is not declared again in this stage, so RUN sees nothing.
# want DF1505 "tool@[$][{]TOOL_VERSION[}] [(]TOOL_VERSION is declared before FROM only[)]"
RUN npm install -g tool@${TOOL_VERSION}

FROM golang:1.23 AS go
# want DF1505 "go get does not pin the version of github.com/org/dep$"
RUN go get github.com/org/dep
# want DF1505 "go run does not pin the version of golang.org/x/tools/cmd/stringer@latest"
RUN go run golang.org/x/tools/cmd/stringer@latest -type=Kind ./...
# want DF1505 "go get does not pin the version of foobar@main"
RUN go get -tool foobar@main

FROM rockylinux:9 AS rpm
# want DF1505 "dnf module install does not pin the version of nodejs$"
RUN dnf module install -y nodejs && dnf clean all
# want DF1505 "yum module install does not pin the version of php"
RUN yum -y module install php postgresql:15 && yum clean all

FROM ruby:3.3-slim
# want DF1505 "gem install does not pin the version of nokogiri$"
RUN gem install nokogiri -- --use-system-libraries --with-xml2-config=/usr/bin/xml2-config
