FROM debian:12
RUN ./build.sh &> /tmp/build.log
RUN cat /tmp/build.log
