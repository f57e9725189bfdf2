FROM debian:12 AS build
RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz
RUN tar -xzf /tmp/tool.tgz -C /opt && rm /tmp/tool.tgz

FROM debian:12
COPY --from=build /opt/tool /opt/tool
