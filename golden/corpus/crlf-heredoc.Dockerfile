# syntax=docker/dockerfile:1
FROM debian:bookworm
RUN <<EOF
apt-get update
apt-get install -y vim
EOF
COPY <<EOF /etc/motd
Welcome!
EOF
CMD ["bash"]
