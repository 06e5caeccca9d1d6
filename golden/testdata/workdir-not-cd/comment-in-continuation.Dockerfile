FROM debian:12
RUN cd /src \
# build it
 && make \
 && make install
