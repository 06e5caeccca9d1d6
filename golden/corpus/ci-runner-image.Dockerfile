FROM ubuntu:22.04
ENV DEBIAN_FRONTEND noninteractive
RUN apt-get update -y
RUN apt-get install -y --no-install-recommends \
    ca-certificates curl git jq unzip zip \
    openjdk-17-jdk-headless \
    python3 python3-pip python3-venv
RUN pip3 install awscli
RUN curl -fsSL https://get.docker.com | sh
RUN useradd -ms /bin/bash runner
USER runner
WORKDIR /home/runner
