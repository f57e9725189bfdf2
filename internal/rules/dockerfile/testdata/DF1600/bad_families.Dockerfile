FROM opensuse/leap:15.6
RUN zypper refresh
# want DF1600 "`zypper install` relies on the package index that `zypper refresh` at line 2"
RUN zypper --non-interactive install nginx && zypper clean --all

FROM archlinux:base AS arch
RUN pacman -Syu --noconfirm
# want DF1600 "`pacman -S` relies on the package index that `pacman -Syu` at line 7"
RUN pacman -S --noconfirm nginx

FROM fedora:40 AS fed
RUN dnf makecache
# want DF1600 "`dnf install` relies on the package index that `dnf makecache` at line 12"
RUN dnf install -y httpd && dnf clean all
