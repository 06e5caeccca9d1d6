FROM debian:12
WORKDIR /src
RUN git clone https://example.com/app.git
RUN cd app && make
# runs in /src, not in /src/app
RUN make -C app install
RUN cd /tmp; ls
RUN pwd
