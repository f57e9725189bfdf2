FROM ubuntu:24.04
RUN apt-get update && apt-get install -y --no-install-recommends python3
# want DF1606 "`rm -rf /var/lib/apt/lists/\\*` deletes /var/lib/apt/lists, which `apt-get update` at line 2 added"
RUN rm -rf /var/lib/apt/lists/*
RUN yum install -y vim
# want DF1606 "`yum clean all` deletes /var/cache/yum, which `yum install` at line 5 added"
RUN yum clean all
