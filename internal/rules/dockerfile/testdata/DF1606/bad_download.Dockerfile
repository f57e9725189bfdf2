FROM debian:12
RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz && tar -xzf /tmp/tool.tgz -C /opt
# want DF1606 "`rm /tmp/tool.tgz` deletes /tmp/tool.tgz, which `curl -o` at line 2 added"
RUN rm /tmp/tool.tgz
WORKDIR /src
RUN wget https://example.com/src/app-1.2.tar.gz
RUN tar xzf app-1.2.tar.gz
# want DF1606 "deletes /src/app-1.2.tar.gz, which `wget` at line 6 added"
RUN rm app-1.2.tar.gz
RUN git clone --depth 1 https://github.com/example/proj.git /opt/proj && make -C /opt/proj
# want DF1606 "deletes /opt/proj, which `git clone` at line 10 added"
RUN rm -rf /opt/proj
