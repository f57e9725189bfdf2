# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY <<EOF /root/.ssh/id_ed25519
# want DF1401 "COPY contains a private key \\(-----BEGIN OPENSSH PRIVATE KEY-----\\)"
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
-----END OPENSSH PRIVATE KEY-----
EOF
# want DF1401 "RUN contains a private key \\(-----BEGIN RSA PRIVATE KEY-----\\)"
RUN printf '%s\n' "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8+Bg8Nd5XdQ6+7Wl0X3zGqh9K" > /root/.ssh/id_rsa
