FROM fedora:40
# want DF1605 "`dnf install` leaves its metadata and package cache in the layer; add `dnf clean all`"
RUN set -uex && \
    dnf config-manager --add-repo https://download.docker.com/linux/fedora/docker-ce.repo && \
    dnf install -vy docker-ce
# want DF1605 "`yum install`"
RUN yum install -y vim
# want DF1605 "`microdnf install`"
RUN microdnf install -y shadow-utils
# want DF1605 "`tdnf install`"
RUN tdnf install -y tar
# want DF1605 "`yum update`"
RUN yum -y update

FROM archlinux:base AS arch
# want DF1605 "`pacman -Syu` leaves the downloaded packages in /var/cache/pacman/pkg"
RUN pacman -Syu --noconfirm nginx
# want DF1605 "`dnf group`"
RUN dnf group install -y "Development Tools"
