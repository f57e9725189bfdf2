FROM debian:12-slim
# Sticky world-writable temp directories are the standard.
RUN chmod 1777 /tmp /var/tmp && mkdir -m 1777 /scratch && chmod a+rwxt /shared
# Plain +w is filtered by the umask (022), so others do not get write.
RUN chmod +w /etc/app.conf && chmod -R +rwX /opt/app
RUN chmod 755 /usr/local/bin/entrypoint.sh && chmod 0644 /etc/app.conf && chmod -R g+w,o-w /srv
RUN chmod 775 /data && chmod ug+rwx /data && chmod o=rx /data && chmod a-w /readonly
RUN chmod --reference=/etc/passwd /etc/app.conf && chmod 666 /dev/null
RUN umask 022 && umask 0002
RUN mkdir -p /a/b && install -d -m 0755 /opt/x && echo "chmod 777 /nope"
COPY --chmod=755 entrypoint.sh /usr/local/bin/
COPY --chmod=1777 empty/ /cachedir/
# Scratch space of the same RUN never reaches the layer.
RUN tempDir="$(mktemp -d)" \
    && chmod 777 "$tempDir" \
    && cd "$tempDir" && apt-get source hello \
    && rm -rf "$tempDir"
RUN mkdir -p /tmp/build && chmod -R 777 /tmp/build && make -C /tmp/build && rm -rf /tmp/build
RUN find /var/www -type d -exec chmod 755 {} + && find /var/www -name chmod -print
