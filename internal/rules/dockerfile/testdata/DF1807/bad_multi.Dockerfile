FROM node:20-alpine
# want DF1807 "COPY has 2 sources but its destination \"my_app\" does not end with /"
COPY package.json yarn.lock my_app
# want DF1807 "3 sources"
COPY ["a", "b", "c", "/dest"]
# want DF1807 "ADD has 2 sources"
ADD https://example.com/a.tgz https://example.com/b.tgz /opt/x
# want DF1807 "COPY has 2 sources"
COPY <<EOT1 <<EOT2 /etc/app.conf
a
EOT1
b
EOT2
