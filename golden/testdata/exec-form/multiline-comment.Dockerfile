FROM eclipse-temurin:21-jre
COPY app.jar /app.jar
CMD java \
    -Xms256m -Xmx1g \
# heap sizes above, GC below
    -XX:+UseG1GC \
    -jar /app.jar
