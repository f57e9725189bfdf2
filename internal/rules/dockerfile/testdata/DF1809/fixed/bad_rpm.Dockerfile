FROM fedora:40
# want DF1809 "dnf install without -y"
RUN set -uex && \
    dnf config-manager --set-enabled docker-ce-test && \
    dnf install -y docker-ce && \
    dnf clean all
# want DF1809 "dnf in without -y"
RUN dnf in -y docker-ce
# want DF1809 "yum install without -y"
RUN sudo yum install -y bundler
# want DF1809 "yum install"
RUN ["sudo yum", "install", "bundler"]
# want DF1809 "dnf group install"
RUN dnf group install -y "Development Tools"
# want DF1809 "zypper install without --non-interactive"
RUN zypper -n install httpd && zypper clean
# want DF1809 "zypper in"
RUN zypper -n in -n curl
# want DF1809 "pacman -Syu without --noconfirm"
RUN pacman -Syu git
FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
# want DF1809 "microdnf install without -y"
RUN microdnf install -y shadow-utils && microdnf clean all
