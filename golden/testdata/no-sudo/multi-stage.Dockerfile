FROM debian:12 AS build
RUN sudo make
FROM debian:12
CMD sudo /start
