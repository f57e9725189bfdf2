FROM alpine:3.20
ARG USERNAME=dev
RUN apk add --no-cache sudo && adduser -D -G wheel ${USERNAME}
# want DF1107 "lets dev [(]through %wheel[)]"
RUN printf '%%wheel ALL=(ALL) NOPASSWD: ALL\n' | tee /etc/sudoers.d/wheel
# want DF1107 "run /usr/bin/mount, /sbin/mount.nfs as root without a password"
RUN echo "${USERNAME} ALL=NOPASSWD: /usr/bin/mount, /sbin/mount.nfs" > /etc/sudoers.d/${USERNAME}
# want DF1107 "lets dev [(]through ALL[)]"
COPY <<EOF /etc/sudoers.d/all
ALL ALL=(ALL:ALL) NOPASSWD:ALL
EOF
USER ${USERNAME}
