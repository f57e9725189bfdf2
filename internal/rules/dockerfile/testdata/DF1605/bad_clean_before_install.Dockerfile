# A clean-up before the install empties a cache the install fills again.
FROM node:20-slim
# want DF1605 "`yarn install` keeps downloaded packages"
RUN yarn cache clean && yarn install --frozen-lockfile
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
# want DF1605 "`microdnf install` leaves its metadata"
RUN microdnf clean all && microdnf install -y shadow-utils
FROM centos:7
# want DF1605 "`yum install` leaves its metadata"
RUN rm -rf /var/cache/yum && yum install -y httpd
FROM opensuse/leap:15.6
# want DF1605 "`zypper install` leaves its package cache"
RUN zypper clean --all && zypper --non-interactive install curl
FROM fedora:40
# want DF1605 "`dnf up` leaves its metadata"
RUN dnf -y up
# want DF1605 "`dnf rei` leaves its metadata"
RUN dnf -y rei bash
