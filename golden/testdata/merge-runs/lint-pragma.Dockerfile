FROM debian:12
RUN apt-get update
# hadolint ignore=DL3008
RUN apt-get install -y curl
RUN curl --version
