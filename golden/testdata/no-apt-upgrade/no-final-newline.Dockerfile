FROM debian:12
RUN echo apt-get upgrade