from maven:3.9-eclipse-temurin-21
workdir /src
copy . .
run mvn -B package

from eclipse-temurin:21-jre
copy --from=0 /src/target/app.jar /app.jar
cmd ["java", "-jar", "/app.jar"]
