FROM alpine:3.20
# want DF1000 "unknown instruction: RUNN"
RUNN echo hello
USER nobody
