FROM debian:12
RUN make \
# install as root
 && sudo make install
