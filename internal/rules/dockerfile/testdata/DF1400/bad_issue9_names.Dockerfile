# Names the real-world corpus and hadolint's DL3064 cases hold.
# want DF1400 "ARG AWS_ACCESS_KEY_ID"
ARG AWS_ACCESS_KEY_ID
FROM debian:12-slim
# want DF1400 "ARG awsAccessKeyId"
ARG awsAccessKeyId
# want DF1400 "ENV LDAP_ROOTPASS"
ENV LDAP_ROOTPASS=changeme-please
# want DF1400 "ARG SMTP_PWD"
ARG SMTP_PWD
# want DF1400 "ARG openai_api_key"
ARG openai_api_key
