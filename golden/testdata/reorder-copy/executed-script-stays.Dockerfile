FROM debian:12
COPY install.sh /tmp/
RUN /tmp/install.sh
COPY . /app
RUN apt-get update && apt-get install -y curl && /app/setup.sh
