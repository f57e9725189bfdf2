FROM debian:12-slim
# want DF1401 "ENV hard-codes a value for DB_PASSWORD \\(\\*{8}\\)"
ENV DB_PASSWORD=hunter2hunter2
# want DF1401 "ARG hard-codes a value for password \\(\\*{8}\\)"
ARG password=pass!1213Fs
# want DF1401 "RUN contains a password in a URL \\(\\*{8}\\)"
RUN git clone https://deploy:s3cr3tPassw0rd@git.internal.corp/app.git /src
# want DF1401 "RUN passes a literal password to mysql -p \\(\\*{8}\\)"
RUN mysql -uroot -pSup3rSecret -e "CREATE DATABASE app"
# want DF1401 "RUN passes a literal secret to --password \\(\\*{8}\\)"
RUN ./installer --user admin --password=Adm1nPass
# want DF1401 "RUN passes a literal password to docker -p"
RUN docker login -u ci -p Tr0ub4dor registry.example.org
# want DF1401 "RUN passes a literal password to curl -u"
RUN curl -fsS -u admin:Qwerty987 https://nexus.internal/repo/app.jar -o /app.jar
# want DF1401 "RUN contains an AWS secret access key"
RUN aws configure set aws_secret_access_key Zx9yRt2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh4
# want DF1401 "RUN hard-codes a value for API_TOKEN"
RUN API_TOKEN=f00dfacecafe1234 ./sync.sh
# A concrete default is the password the image runs with.
# want DF1401 "ENV hard-codes a value for ADMIN_PASSWORD"
ENV ADMIN_PASSWORD=changeme
# want DF1401 "ENV hard-codes a value for DB_PWD"
ENV DB_PWD=hunter2hunter2
# want DF1401 "ENV hard-codes a value for LDAP_ROOTPASS"
ENV LDAP_ROOTPASS=fsociety
# want DF1401 "ARG hard-codes a value for SSH_KEY"
ARG SSH_KEY=b3BlbnNzaC1rZXktdjE
# want DF1401 "ENV contains a password in a URL"
ENV DATABASE_URL=postgres://app:hunter2@db/app
USER nobody
