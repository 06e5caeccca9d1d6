FROM debian:bookworm-slim
WORKDIR /a
WORKDIR b
WORKDIR c
RUN pwd
RUN cd /tmp && apt-get update && apt-get install -y file
