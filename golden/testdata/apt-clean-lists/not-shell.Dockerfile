# syntax=docker/dockerfile:1
FROM debian:12
RUN <<EOF
apt-get update
apt-get install -y make
EOF
RUN ["apt-get", "update"]
ONBUILD RUN apt-get update
RUN apt-get update && sleep 100 &
