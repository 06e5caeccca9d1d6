FROM debian:12
RUN apt-get install -y sudo gosu
RUN gosu app true
