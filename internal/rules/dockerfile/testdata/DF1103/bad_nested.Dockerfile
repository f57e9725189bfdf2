FROM debian:12-slim
# want DF1103 "sudo make"
RUN sh -c 'cd /src && sudo make install'
RUN <<EOT
set -e
echo start
# want DF1103 "sudo chown"
sudo chown -R 1000 /data
EOT
# want DF1103 "sudo"
RUN ["sudo", "apt-get", "update"]
# want DF1103 "doas apk"
RUN doas apk add git
