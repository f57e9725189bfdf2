FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends --only-upgrade openssl && rm -rf /var/lib/apt/lists/*
FROM fedora:40 AS f
RUN dnf -y update openssl && dnf clean all
RUN yum -y upgrade glibc && yum clean all
FROM alpine:3.20 AS a
RUN apk add --no-cache --upgrade openssl
FROM opensuse/leap:15.6 AS s
RUN zypper -n update openssl && zypper clean
FROM archlinux:base AS arch
RUN pacman -Sy --noconfirm nginx
RUN pip install --upgrade pip
