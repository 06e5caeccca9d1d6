FROM ubuntu:22.04
MAINTAINER Jane Doe <jane@example.com>
RUN apt-get update
