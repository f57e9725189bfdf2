FROM debian:12
RUN curl -o "$TMPFILE" https://example.com/x.tgz
RUN rm -f "$TMPFILE"
RUN curl -o tool.tgz https://example.com/tool.tgz
RUN rm tool.tgz
