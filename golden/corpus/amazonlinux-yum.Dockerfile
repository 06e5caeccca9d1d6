FROM amazonlinux:2
RUN yum install -y shadow-utils tar gzip && \
    useradd -m app
RUN yum update -y && yum install -y java-17-amazon-corretto-headless
COPY app.jar /home/app/app.jar
USER app
CMD ["java", "-jar", "/home/app/app.jar"]
