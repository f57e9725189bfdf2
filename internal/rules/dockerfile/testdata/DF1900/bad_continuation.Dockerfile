FROM alpine:3.20 AS sshd
EXPOSE 8080 \
       2222 \
# want DF1900 "port 22"
       22

# An unrelated debug target still ships its EXPOSE list when built.
FROM alpine:3.20 AS app
USER 1000
