FROM alpine:3.20
# A key named for what it unlocks is a credential whatever its value.
# want DF1400 "ARG SSH_KEY looks like a secret"
ARG SSH_KEY
# want DF1400 "ARG SIGNING_KEY looks like a secret"
ARG SIGNING_KEY
# want DF1400 "ENV ENCRYPTION_KEY looks like a secret"
ENV ENCRYPTION_KEY=${ENCRYPTION_KEY}
# A bare KEY with a value that looks like a credential.
# want DF1400 "ENV MINIO_KEY looks like a secret"
ENV MINIO_KEY=minio123
# want DF1400 "ARG STORAGE_KEY looks like a secret"
ARG STORAGE_KEY=q8ZpL0vN4mX2rT7wY5bC1dF6
CMD ["sh"]
