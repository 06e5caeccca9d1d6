FROM debian:12
RUN umask 077 && mkdir /secrets
RUN mkdir /public
RUN ulimit -n 1024
RUN touch /public/file
