# syntax=docker/dockerfile:1
FROM debian:12-slim
RUN <<EOS
set -e
apt-get update
EOS
RUN ["/bin/true"]
ONBUILD RUN make install
CMD /usr/bin/app run
