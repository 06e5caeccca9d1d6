# syntax=docker/dockerfile:1
FROM debian:12
RUN <<EOF
set -e
apt-get update
apt-get -y dist-upgrade
EOF
