FROM maven:3.9-eclipse-temurin-21 AS build
RUN mvn -q package
# want DF1203 "\"eclipse-temurin:21-jdk-jammy\"; use eclipse-temurin:21-jre" severity=medium
FROM eclipse-temurin:21-jdk-jammy
COPY --from=build /target/app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
