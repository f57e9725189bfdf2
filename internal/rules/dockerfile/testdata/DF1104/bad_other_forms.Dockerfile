FROM alpine:3.20
ARG MODE=777
# want DF1104 "chmod 777 makes /cache world-writable"
RUN chmod "$MODE" /cache
# want DF1104 "mkdir -m 777 creates world-writable /run/app"
RUN mkdir -p -m 777 /run/app
# want DF1104 "install -m 0666 creates world-writable /etc/x.conf"
RUN install -m 0666 x.conf /etc/x.conf
# want DF1104 "umask 000"
RUN umask 000 && tar -xf /tmp/a.tar -C /opt
# want DF1104 "COPY --chmod=777"
COPY --chmod=777 entrypoint.sh /usr/local/bin/
# want DF1104 "ADD --chmod=o\\+rw"
ADD --chmod=o+rw config.tar /etc/cfg/
# want DF1104 "chmod 777 makes /app"
RUN sh -c "chmod 777 /app"
ENV RUSTUP_HOME=/usr/local/rustup
# want DF1104 "chmod a\\+w makes /usr/local/rustup and everything below"
RUN chmod -R a+w $RUSTUP_HOME
