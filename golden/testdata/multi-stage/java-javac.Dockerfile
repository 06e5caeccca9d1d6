FROM eclipse-temurin:17-jdk
WORKDIR /app
COPY Hello.java .
RUN javac -d classes Hello.java
CMD ["java", "-cp", "classes", "Hello"]
