FROM rockylinux:9
# want DF1503 "echo writes sslverify=0 into /etc/yum.conf"
RUN echo "sslverify=0" >> /etc/yum.conf
# want DF1503 "sed writes sslverify=0"
RUN sed -i 's/^sslverify=1/sslverify=0/' /etc/dnf/dnf.conf
# want DF1503 "printf writes strict-ssl=false into /root/.npmrc"
RUN printf 'registry=https://r.example.com/\nstrict-ssl=false\n' > /root/.npmrc
# want DF1503 "cat writes Acquire::https::Verify-Peer false into /etc/apt/apt.conf.d/99insecure"
RUN cat > /etc/apt/apt.conf.d/99insecure <<EOF
Acquire::https::Verify-Peer "false";
EOF
RUN sh -c 'echo "[global]" > /etc/pip.conf \
# want DF1503 "echo writes trusted-host into /etc/pip.conf"
 && echo "trusted-host = pypi.org" >> /etc/pip.conf'
# want DF1503 "sed writes sslverify=0 into /etc/dnf/dnf.conf"
RUN sed -i '/^\[main\]/a sslverify=0' /etc/dnf/dnf.conf
