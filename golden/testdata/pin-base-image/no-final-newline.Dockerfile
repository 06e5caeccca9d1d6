FROM ubuntu
RUN true