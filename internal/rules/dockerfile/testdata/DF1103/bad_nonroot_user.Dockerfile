# A dev container: every finding here is low.
FROM mcr.microsoft.com/devcontainers/base:ubuntu
USER vscode
# want DF1103 "sudo apt-get relies on a sudoers rule for USER vscode" severity=low
RUN sudo apt-get update
USER root
# want DF1103 "sudo -u postgres createdb uses sudo only to step down from root; use USER postgres" severity=low
RUN sudo -u postgres createdb app
# want DF1103 "runs as root already \\(USER root\\); sudo is unnecessary"
RUN sudo -E make install
ARG USERNAME=codespace
# want DF1103 "sudo -u codespace git"
RUN sudo -u ${USERNAME} git clone https://example.com/repo /home/codespace/repo
