FROM gradle:8.7-jdk17
WORKDIR /home/gradle/project
COPY . .
RUN gradle build --no-daemon
ENTRYPOINT ["java", "-jar", "build/libs/demo-0.1.jar"]
