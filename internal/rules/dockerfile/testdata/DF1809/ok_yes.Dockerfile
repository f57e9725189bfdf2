FROM debian:12
RUN apt-get -y install apt-utils
RUN apt-get -qy install git gcc
RUN apt-get -fmy install apt-utils && apt-get clean
RUN ["sudo", "apt-get", "--yes", "install", "apt-utils"]
RUN sudo apt-get -qq install apt-utils
RUN apt-get -q=2 install apt-utils
RUN apt-get --quiet --quiet install sl
RUN apt-get -q -q install sl
RUN apt-get --assume-yes install apt-utils
RUN apt-get -o APT::Get::Assume-Yes=true install curl
RUN yes | apt-get install curl
RUN apt-get update && apt-get clean && apt-get install --help
RUN dnf install -y docker-ce && dnf --assumeyes remove x && yum -y update && dnf --setopt=assumeyes=1 install z
RUN microdnf install -y openssl && dnf clean all && yum makecache
RUN zypper --non-interactive install httpd && zypper -n in curl && zypper install -y x && zypper in --no-confirm y && zypper refresh
RUN pacman -Syu --noconfirm git && pacman -Ss git && pacman -Q
RUN apk add --no-cache curl
