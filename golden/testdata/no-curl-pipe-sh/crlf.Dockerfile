FROM debian:12
RUN curl -fsSL https://get.docker.com | sh
