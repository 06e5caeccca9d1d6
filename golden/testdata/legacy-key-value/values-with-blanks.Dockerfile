FROM eclipse-temurin:21
ENV JAVA_OPTS -Xmx1g -XX:+UseG1GC   -Dfile.encoding=UTF-8
ENV GREETING "hello world"
ENV MIXED "a b" 'c d'
ENV RAW x\ y z
