# want DF1400 "ARG NPM_TOKEN"
ARG NPM_TOKEN
FROM node:22-slim
# want DF1400 "ARG GITHUB_TOKEN"
ARG GITHUB_TOKEN
# want DF1400 "ENV DB_PASSWORD"
ENV DB_PASSWORD=${DB_PASSWORD}
# want DF1400 "ENV awsSecretKey"
ENV awsSecretKey=""
# The key ID is half of the access key pair (issue 9, hadolint DL3064).
# want DF1400 "ENV AWS_ACCESS_KEY_ID"
ENV AWS_ACCESS_KEY_ID="" \
# want DF1400 "ENV AWS_SECRET_ACCESS_KEY"
    AWS_SECRET_ACCESS_KEY=""
# want DF1400 "ARG REGISTRY_CREDENTIALS"
ARG REGISTRY_CREDENTIALS
# The names the compose and image rules call secrets are secrets here too.
# want DF1400 "ENV DB_PWD"
ENV DB_PWD=hunter2hunter2
# want DF1400 "ENV LDAP_ROOTPASS"
ENV LDAP_ROOTPASS=fsociety
# want DF1400 "ARG SSH_KEY"
ARG SSH_KEY
# want DF1400 "ENV SECRET_KEY_BASE"
ENV SECRET_KEY_BASE=yYrECL4qbNwleYInGJYvVnSkwJuSQJ4i
# A placeholder default of an ARG is replaced with --build-arg at build time.
# want DF1400 "ARG ADMIN_TOKEN"
ARG ADMIN_TOKEN=REPLACE_ME
