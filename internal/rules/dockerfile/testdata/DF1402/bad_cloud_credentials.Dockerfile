FROM python:3.12-slim
ARG CREDS=gcp-service-account.json
# want DF1402 "COPY copies \\$\\{CREDS\\} \\(gcp-service-account.json\\), a service-account key"
COPY ${CREDS} /app/key.json
# want DF1402 "COPY copies .aws, an AWS credentials directory"
COPY .aws /root/.aws
# want DF1402 "COPY copies home/.docker/config.json, Docker registry credentials"
COPY home/.docker/config.json /root/.docker/config.json
# want DF1402 "COPY copies kubeconfig, a Kubernetes kubeconfig"
COPY kubeconfig /root/.kube/config
# want DF1402 "COPY copies terraform.tfstate, Terraform state"
COPY terraform.tfstate /infra/
# want DF1402 "COPY copies credentials.json, a credentials file"
COPY credentials.json .
# want DF1402 "COPY copies .pypirc, a PyPI credentials file"
# want DF1402 "COPY copies .netrc, a .netrc credentials file"
COPY .pypirc .netrc /root/
# want DF1402 "COPY copies ssh/.ssh/, an .ssh directory"
COPY ssh/.ssh/ /root/.ssh/
USER nobody
