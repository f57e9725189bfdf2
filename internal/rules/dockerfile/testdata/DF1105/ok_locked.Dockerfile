FROM debian:12-slim
RUN useradd --no-create-home --shell /usr/sbin/nologin app && passwd -l root && passwd -d app
RUN usermod -p '!' root && useradd -p '*' svc
RUN echo 'root:*' | chpasswd -e
RUN chgrp root /etc/passwd && echo "no chpasswd here" && openssl passwd -1 test
RUN htpasswd -c /etc/nginx/.htpasswd admin
