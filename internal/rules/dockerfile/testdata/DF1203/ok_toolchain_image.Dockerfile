# A build-tool image (like the maven images) is meant to carry the JDK.
FROM eclipse-temurin:21-jdk-jammy
ENV MAVEN_HOME=/usr/share/maven
COPY maven /usr/share/maven
ENTRYPOINT ["/usr/local/bin/mvn-entrypoint.sh"]
CMD ["mvn"]
