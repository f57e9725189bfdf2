FROM debian:12-slim
COPY app /opt/app
# want DF1104 "chmod 777 makes /opt/app and everything below world-writable" severity=medium
RUN chmod -R 777 /opt/app
# want DF1104 "chmod 0666 makes /etc/app.conf world-writable"
RUN chmod 0666 /etc/app.conf
RUN mkdir -p /data \
# want DF1104 "chmod o\\+w makes /data world-writable"
 && chmod o+w /data
# want DF1104 "chmod a=rwx makes /srv and everything below world-writable"
RUN chmod --recursive a=rwx /srv
# want DF1104 "chmod u\\+x,a\\+w makes /x world-writable"
RUN chmod u+x,a+w /x
# want DF1104 "chmod 777 makes the selected files world-writable"
RUN find /var/www -type d -exec chmod 777 {} \;
# want DF1104 "chmod 0666 makes the selected files world-writable"
RUN find /var/www -type f -print0 | xargs -0 chmod 0666
