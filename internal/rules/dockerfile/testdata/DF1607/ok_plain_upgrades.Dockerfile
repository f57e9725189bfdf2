# Plain upgrades keep the release and bring security fixes published
# after the base image was built; Docker's guide no longer advises against
# them (rebuild often with --pull --no-cache instead).
FROM debian:12
RUN apt-get update && \
    apt-get -y upgrade && \
    rm -rf /var/lib/apt/lists/*

FROM alpine:3.20 AS a
RUN apk upgrade --no-cache

FROM fedora:40 AS f
RUN dnf -y upgrade && dnf clean all
RUN yum update -y && yum clean all

FROM opensuse/leap:15.6 AS s
RUN zypper -n update && zypper clean

# Arch supports no partial upgrades: -Syu is the normal way to install.
FROM archlinux:base AS arch
RUN pacman -Syu --noconfirm
