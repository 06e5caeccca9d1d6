FROM eclipse-temurin:21-jre
ENV spring.profiles.active=prod JAVA_OPTS=-Xmx512m
COPY app.jar /app.jar
CMD java -jar /app.jar
