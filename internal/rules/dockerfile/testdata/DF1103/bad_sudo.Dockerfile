FROM ubuntu:24.04
# want DF1103 "sudo pip: the stage sets no USER and the official ubuntu image runs as root" severity=medium
RUN sudo pip install --upgrade pip
RUN apt-get update \
# want DF1103 "sudo apt-get"
 && sudo -E apt-get install -y --no-install-recommends vim \
 && rm -rf /var/lib/apt/lists/*
