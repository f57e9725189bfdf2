FROM rockylinux:9
# want DF1505 "dnf install does not pin the versions of httpd, java-17-openjdk"
RUN dnf -y install --enablerepo=crb --setopt=install_weak_deps=False httpd java-17-openjdk mod_ssl-2.4.57-5.el9 && dnf clean all
# want DF1505 "yum install does not pin the version of httpd"
RUN ["yum", "install", "httpd"]
# want DF1505 "microdnf install does not pin the version of shadow-utils"
RUN microdnf install -y shadow-utils
# want DF1505 "zypper install does not pin the version of curl"
RUN zypper --non-interactive install -y curl "vim>=9"
