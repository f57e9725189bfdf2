FROM alpine:3.20
# A variable name made of separators only names nothing.
ENV . 0
ENV _=1
USER nobody
