FROM fedora:40
# want DF1809 "dnf install without -y"
RUN set -uex && \
    dnf config-manager --set-enabled docker-ce-test && \
    dnf install docker-ce && \
    dnf clean all
# want DF1809 "dnf in without -y"
RUN dnf in docker-ce
# want DF1809 "yum install without -y"
RUN sudo yum install bundler
# want DF1809 "yum install"
RUN ["sudo yum", "install", "bundler"]
# want DF1809 "dnf group install"
RUN dnf group install "Development Tools"
# want DF1809 "zypper install without --non-interactive"
RUN zypper install httpd && zypper clean
# want DF1809 "zypper in"
RUN zypper in -n curl
# want DF1809 "pacman -Syu without --noconfirm"
RUN pacman -Syu git
