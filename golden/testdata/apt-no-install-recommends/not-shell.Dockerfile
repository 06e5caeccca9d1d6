# syntax=docker/dockerfile:1
FROM debian:12
RUN <<EOF
apt-get update
apt-get install -y make
EOF
RUN ["apt-get", "install", "-y", "gcc"]
ONBUILD RUN apt-get install -y curl
