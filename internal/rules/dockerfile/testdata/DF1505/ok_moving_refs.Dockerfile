ARG GO_VERSION=1.23
FROM golang:${GO_VERSION} AS go
# The base image sets GO_VERSION: a reference the FROM line uses may be set.
RUN go install example.com/tool@v${GO_VERSION}
# Without @version, go install and go run build what go.mod requires.
RUN go install example.com/tool && go run example.com/gen -out x.go && go run ./cmd/gen
RUN go get example.com/dep@v1.2.3 && go get -tool foobar@v0.3.0 && go get ./...
RUN go run example.com/pkg@v1.2.3 --flag latest extra-argument

FROM python:3.12-slim
ARG CLI_VERSION=2.1.0
RUN pip install --no-cache-dir "git+https://github.com/org/lib.git@v1.2.0#egg=lib" cli==${CLI_VERSION}
RUN pip install --root-user-action ignore --no-cache-dir requests==2.32.3
RUN pipx install black==24.4.2 && pipx install ./local-tool
RUN V=1.2.3 && pip install --no-cache-dir "lib==$V"
ARG PKGS
RUN pip install --no-cache-dir ${PKGS} "dep==${DEP_VERSION:-1.0}"

FROM rockylinux:9
RUN dnf module install -y nodejs:20 && dnf -y module enable php && dnf clean all

FROM ruby:3.3-slim
RUN gem install nokogiri:1.16.5 -- --use-system-libraries true
ONBUILD RUN gem install rails -v 7.1.3
