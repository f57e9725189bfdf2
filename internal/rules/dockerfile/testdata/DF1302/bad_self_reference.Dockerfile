FROM golang:1.23 AS dep
# want DF1302 "COPY --from=dep refers to its own stage dep"
COPY --from=dep /binary /
