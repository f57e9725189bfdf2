FROM rockylinux:9
# want DF1105 "passwd sets a password for app from non-interactive input"
RUN echo changeme | passwd --stdin app
# want DF1105 "passwd sets a password for root"
RUN printf 'pw\npw\n' | passwd
# want DF1105 "useradd -p sets a password hash for deploy"
RUN useradd -m -p "$(openssl passwd -1 hunter2)" deploy
# want DF1105 "usermod -p sets a password hash for root"
RUN usermod --password='$6$abc$def' root
# want DF1105 "htpasswd -b"
RUN htpasswd -Bbc /etc/nginx/.htpasswd admin admin
# want DF1105 "password for admin"
RUN bash -c "echo admin:admin | chpasswd"
