# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY <<EOF /root/.ssh/id_ed25519
# want DF1401 "COPY contains a private key \\(----\\*\\*\\*\\)"
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
-----END OPENSSH PRIVATE KEY-----
EOF
# want DF1401 "RUN contains a private key"
RUN echo "-----BEGIN RSA PRIVATE KEY-----" > /tmp/k
