FROM maven:3.9-eclipse-temurin-21
WORKDIR /build
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B -DskipTests package
EXPOSE 8080
CMD ["java", "-Xmx256m", "-jar", "target/demo-1.0.0.jar"]
