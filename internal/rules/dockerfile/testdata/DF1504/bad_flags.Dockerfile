FROM debian:12-slim
# want DF1504 "apt-get --allow-unauthenticated installs"
RUN apt-get update && apt-get install -y --allow-unauthenticated vendor-agent
RUN apt-get \
# want DF1504 "apt-get --force-yes"
    --force-yes \
    install python3
# want DF1504 "APT::Get::AllowUnauthenticated=true"
RUN apt-get install -y -o APT::Get::AllowUnauthenticated=true foo
# want DF1504 "apt-get --allow-insecure-repositories"
RUN apt-get update --allow-insecure-repositories
# want DF1504 "apk --allow-untrusted"
RUN apk add --no-cache --allow-untrusted /tmp/pkg.apk
# want DF1504 "dnf --nogpgcheck"
RUN dnf --nogpgcheck -y install python3
# want DF1504 "tdnf --nogpgcheck"
RUN tdnf install -y ${package} shadow-utils --nogpgcheck && tdnf clean all
# want DF1504 "microdnf --setopt=gpgcheck=0"
RUN microdnf install -y --setopt=gpgcheck=0 vendor
# want DF1504 "rpm --nosignature"
RUN rpm -i --nosignature python3.rpm
# want DF1504 "zypper --no-gpg-checks"
RUN zypper --no-gpg-checks --non-interactive install vendor
# want DF1504 "sudo|yum --nogpgcheck"
RUN sudo yum --nogpgcheck localinstall -y /tmp/x.rpm
# want DF1504 "apk --allow-untrusted"
RUN curl -fsSLo /tmp/x.apk https://example.com/x.apk && apk add --allow-untrusted /tmp/x.apk
