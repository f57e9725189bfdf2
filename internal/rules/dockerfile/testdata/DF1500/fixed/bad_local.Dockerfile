FROM openjdk:21-jdk-slim
ARG JAR_FILE
# want DF1500 "ADD copies local source \"[$][{]JAR_FILE[}]\""
ADD ${JAR_FILE} app.jar
# want DF1500 "local sources \"conf/\", \"run.sh\""
COPY conf/ run.sh /opt/app/
# want DF1500 "\"bundle.zip\""
COPY bundle.zip /opt/
# want DF1500 "\"app.jar\""
ADD --chown=1000:1000 https://example.com/a.tar.gz app.jar /opt/
# want DF1500 "heredoc"
COPY <<EOF /etc/motd
hello
EOF
