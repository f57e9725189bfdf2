FROM debian:12-slim
# want DF1504 "echo writes \\[trusted=yes\\] into /etc/apt/sources.list.d/vendor.list"
RUN echo "deb [trusted=yes] http://apt.vendor.example/ ./" > /etc/apt/sources.list.d/vendor.list
# want DF1504 "printf writes gpgcheck=0 into /etc/yum.repos.d/vendor.repo"
RUN printf '[vendor]\nbaseurl=http://x.example/\ngpgcheck=0\n' > /etc/yum.repos.d/vendor.repo
# want DF1504 "cat writes gpgcheck=0"
RUN cat <<EOF | tee /etc/yum.repos.d/v.repo
[v]
baseurl=http://x.example/
gpgcheck=0
EOF
# want DF1504 "sed writes gpgcheck=0"
RUN sed -i 's/gpgcheck=1/gpgcheck=0/g' /etc/yum.repos.d/x.repo
# want DF1504 "AllowUnauthenticated"
RUN echo 'APT::Get::AllowUnauthenticated "true";' > /etc/apt/apt.conf.d/99unauth
