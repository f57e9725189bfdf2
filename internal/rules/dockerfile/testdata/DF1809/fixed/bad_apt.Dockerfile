FROM debian:12
# want DF1809 "apt-get install without -y"
RUN apt-get install -y python3
# want DF1809 "apt-get install without -y"
RUN ["sudo", "apt-get", "-q", "install", "apt-utils"]
# want DF1809 "apt-get install"
RUN DEBIAN_FRONTEND=noninteractive apt-get --quiet install -y sl
# want DF1809 "apt-get dist-upgrade without -y"
RUN apt-get update && \
    apt-get dist-upgrade -y
# want DF1809 "apt-get install"
RUN apt-get -o Dpkg::Options::=--force-confold install -y curl
