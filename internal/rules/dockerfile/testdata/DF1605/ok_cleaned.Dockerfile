FROM fedora:40
RUN dnf install -y httpd && dnf clean all
RUN yum install -y vim && yum clean all && rm -rf /var/cache/yum
RUN microdnf install -y shadow-utils && microdnf clean all
RUN dnf install -y git && rm -rf /var/cache/dnf
RUN --mount=type=cache,target=/var/cache/dnf dnf install -y make
RUN yum -y install tar && yum clean packages
RUN tdnf install -y gawk && tdnf clean all

FROM opensuse/leap:15.6 AS suse
RUN zypper install -y httpd && zypper clean
RUN zypper -n in curl && zypper cc -a
RUN zypper -n in jq && rm -rf /var/cache/zypp/*

FROM node:22 AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
RUN --mount=type=cache,target=/root/.npm npm ci
RUN yarn install --frozen-lockfile && yarn cache clean
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install
RUN npm install && rm -rf ~/.npm
RUN npm run build
RUN yarn build
RUN yarn --version && npm --version

FROM archlinux:base AS arch
RUN pacman -Syu --noconfirm nginx && pacman -Scc --noconfirm
RUN pacman -S --noconfirm git && rm -rf /var/cache/pacman/pkg/*
RUN dnf group list
