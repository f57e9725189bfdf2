FROM debian:12
COPY library-scripts/*.sh /tmp/library-scripts/
# want DF1606 "deletes /tmp/library-scripts, which COPY at line 2 added"
RUN bash /tmp/library-scripts/common.sh && rm -rf /tmp/library-scripts
COPY a.sh b.sh /tmp/
# want DF1606 "deletes /tmp/a.sh, which COPY at line 5 added; the bytes stay in that earlier layer \\(and 1 more path\\)"
RUN rm /tmp/a.sh /tmp/b.sh
