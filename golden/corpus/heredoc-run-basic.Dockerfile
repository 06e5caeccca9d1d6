# syntax=docker/dockerfile:1
FROM ubuntu:22.04
RUN <<EOF
apt-get update
apt-get install -y curl
rm -rf /var/lib/apt/lists/*
EOF
CMD ["curl", "--version"]
