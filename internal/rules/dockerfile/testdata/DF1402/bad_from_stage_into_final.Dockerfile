FROM alpine:3.20 AS keys
RUN ssh-keygen -t ed25519 -N "" -f /root/.ssh/id_ed25519

FROM alpine:3.20 AS builder
# want DF1402 "COPY copies .git-credentials, a git credentials file, into a layer of stage builder \\(and the build cache\\)"
COPY .git-credentials /root/
COPY --from=keys /root/.ssh/id_ed25519 /tmp/builder-key

FROM alpine:3.20
# want DF1402 "COPY copies /root/.ssh/id_ed25519 from keys, an SSH private key, into a layer of the image"
COPY --from=keys /root/.ssh/id_ed25519 /root/.ssh/id_ed25519
USER nobody
