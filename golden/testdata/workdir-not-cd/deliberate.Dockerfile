FROM debian:12
WORKDIR /src
RUN (cd vendor && make) && make
RUN cd /tmp && curl -O https://example.com/x && cd / && rm -rf /tmp/*
