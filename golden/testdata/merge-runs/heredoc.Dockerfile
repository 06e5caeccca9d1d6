# syntax=docker/dockerfile:1
FROM debian:12
RUN apt-get update
RUN <<EOT
apt-get install -y curl
EOT
RUN echo done
