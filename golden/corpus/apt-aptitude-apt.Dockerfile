FROM ubuntu:24.04
RUN apt update && apt install -y python3
RUN apt-get -qq update && apt-get -qq install -y --no-install-recommends git > /dev/null
