FROM debian:12
SHELL ["/bin/bash", "-c"]
CMD source /etc/profile && run-app
