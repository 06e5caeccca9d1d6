FROM debian:12
RUN set -e; ./configure; make
RUN make install
