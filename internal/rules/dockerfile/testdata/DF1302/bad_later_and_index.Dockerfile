FROM alpine:3.20 AS first
# want DF1302 "COPY --from=later refers to stage later, which is defined later \\(line 9\\)"
COPY --from=later /out /out
# want DF1302 "COPY --from=0 refers to its own stage"
COPY --from=0 /etc/hostname /tmp/
# want DF1302 "COPY --from=5 is out of range: the file has 2 stage"
COPY --from=5 /x /x

FROM alpine:3.20 AS later
RUN echo later
