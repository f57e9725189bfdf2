FROM debian:12-slim
ARG COMMON_SCRIPT_SHA=2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae
RUN curl -sSL https://example.com/common-setup.sh -o /tmp/common-setup.sh \
  && ([ "${COMMON_SCRIPT_SHA}" = "dev-mode" ] || (echo "${COMMON_SCRIPT_SHA} */tmp/common-setup.sh" | sha256sum -c -)) \
  && /bin/bash /tmp/common-setup.sh
RUN wget -qO /tmp/tool.run https://example.com/tool.run \
 && wget -qO /tmp/tool.run.asc https://example.com/tool.run.asc \
 && gpg --batch --verify /tmp/tool.run.asc /tmp/tool.run \
 && sh /tmp/tool.run
RUN curl -fsSLo /tmp/x.sh https://example.com/x.sh && test "$(sha256sum /tmp/x.sh | cut -d' ' -f1)" = "$X_SHA" && sh /tmp/x.sh
# Downloaded, never executed here; executed, never downloaded here.
RUN curl -fsSLo /tmp/data.tgz https://example.com/data.tgz && tar -xzf /tmp/data.tgz -C /opt && /opt/bin/setup
RUN sh -c 'echo hi' && bash ./local-script.sh
