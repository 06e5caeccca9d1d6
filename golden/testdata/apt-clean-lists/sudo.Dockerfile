FROM debian:12
USER app
RUN sudo apt-get update \
    && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y make
RUN sudo -u nobody apt-get update
