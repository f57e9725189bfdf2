FROM debian:12-slim
ARG DB_PASSWORD
ARG GITHUB_TOKEN=""
ENV DB_PASSWORD=${DB_PASSWORD} API_KEY=$API_KEY
ENV ADMIN_PASSWORD=REPLACE_ME SECRET_KEY=your-secret-key-here TOKEN=<token> PASSWORD_FILE=/run/secrets/db
ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305 KEY=abcdef1234
ENV DefaultProcess__Filters__0__Key=ProcessName
ENV DJANGO_SECRET_KEY=django-insecure-0123456789abcdef
RUN git config --global url."https://${GIT_USER}:${GIT_TOKEN}@github.com".insteadOf "https://github.com"
RUN curl -u "$USER:$PASS" https://example.org && curl -u admin https://example.org
RUN mysql -uroot -p -e "select 1" && mysql -p"$MYSQL_ROOT_PASSWORD"
RUN docker login -u ci --password-stdin registry.example.org < /run/secrets/pw
RUN --mount=type=secret,id=npm,env=NPM_TOKEN npm config set //registry.npmjs.org/:_authToken=${NPM_TOKEN}
RUN key='B97B0AFCAA1A47F044F244A07FCC7D46ACCC4CF8'; gpg --recv-keys "$key"
RUN echo "postgres://user:@localhost/db" && echo "https://user:<password>@host.example/x"
RUN sed -i 's/password=.*/password=secretpw/' /etc/app.conf
RUN buildctl build --secret id=npm,src=/root/.npmrc && tool sync --no-auth-token origin && gh auth login --with-token main
LABEL org.opencontainers.image.source="https://github.com/org/app"
# A PEM header without key material is how scripts and documentation
# mention keys; the layer scanner does not report it either.
RUN grep -q "-----BEGIN RSA PRIVATE KEY-----" /etc/ssl/private/server.key
# References to where a secret is kept, redactions, switches and
# fingerprints hold none.
ENV SSL_KEY=/etc/ssl/private/server.key LDAP_ROOTPASS_FILE=/run/secrets/ldap MAIL_PASSWORD=xxxx
ENV GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx NEO4J_AUTH=none RELEASE_KEY=B42F6819007F00F88E364FD4036A9C25BF357DD4
ENV MYSQL_ALLOW_EMPTY_PASSWORD=yes PUBLIC_KEY_PATH=/etc/ssh/ssh_host_ed25519_key.pub KEYBOARD_LAYOUT=us
# An option that switches a password off takes no value.
RUN adduser --disabled-password app && passwd --no-password root
USER nobody
