FROM debian:12 AS workdir
COPY . /app
WORKDIR /app
RUN apt-get install -y curl

FROM debian:12 AS user
COPY . /app
USER nobody
RUN apt-get install -y curl

FROM debian:12 AS env
ARG SRC_DIR=.
COPY ${SRC_DIR} /app/
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get install -y curl

FROM debian:12 AS system-dest
COPY nginx.conf /etc/nginx/nginx.conf
RUN apt-get install -y nginx

FROM debian:12 AS touches-dest
COPY . /app
RUN chown -R www-data /app
