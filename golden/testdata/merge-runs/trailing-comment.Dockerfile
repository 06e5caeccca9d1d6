FROM debian:12
RUN apt-get update # refresh the index
RUN apt-get install -y curl
