FROM eclipse-temurin:21-jdk-jammy
COPY target/app.jar /app.jar
HEALTHCHECK CMD ["java", "-version"]
ENTRYPOINT ["java", "-jar", "/app.jar"]
