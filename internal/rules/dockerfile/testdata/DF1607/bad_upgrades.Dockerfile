FROM debian:12
# want DF1607 "`apt-get dist-upgrade` upgrades every installed package"
RUN apt-get update && apt-get dist-upgrade -y && apt-get -y install curl && rm -rf /var/lib/apt/lists/*
# want DF1607 "`apt-get upgrade`"
RUN apt-get update && \
    apt-get -y upgrade && \
    rm -rf /var/lib/apt/lists/*
# want DF1607 "`apt full-upgrade`"
RUN apt full-upgrade -y

FROM alpine:3.20 AS a
# want DF1607 "`apk upgrade`"
RUN apk upgrade --no-cache

FROM fedora:40 AS f
# want DF1607 "`dnf upgrade`"
RUN dnf -y upgrade && dnf clean all
# want DF1607 "`yum update`"
RUN yum update -y && yum clean all

FROM opensuse/leap:15.6 AS s
# want DF1607 "`zypper dist-upgrade`"
RUN zypper --non-interactive dist-upgrade && zypper clean
# want DF1607 "`zypper dup`"
RUN zypper -n dup
# want DF1607 "`pacman -Syu`"
RUN pacman -Syu --noconfirm
