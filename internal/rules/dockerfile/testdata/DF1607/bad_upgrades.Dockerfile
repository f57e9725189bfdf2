FROM debian:12
# want DF1607 "`apt-get dist-upgrade` upgrades the distribution"
RUN apt-get update && apt-get dist-upgrade -y && apt-get -y install curl && rm -rf /var/lib/apt/lists/*
# want DF1607 "`apt full-upgrade`"
RUN apt full-upgrade -y

FROM opensuse/leap:15.6 AS s
# want DF1607 "`zypper dist-upgrade`"
RUN zypper --non-interactive dist-upgrade && zypper clean
# want DF1607 "`zypper dup`"
RUN zypper -n dup

FROM fedora:40 AS f
# want DF1607 "`dnf distro-sync`"
RUN dnf -y distro-sync && dnf clean all
