FROM ubuntu:22.04
RUN apt-get update && apt-get install -y sudo && useradd -m builder && echo "builder ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/builder
USER builder
RUN sudo apt-get update && sudo apt-get install -y git
CMD bash
