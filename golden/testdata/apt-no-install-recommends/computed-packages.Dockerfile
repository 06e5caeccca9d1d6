FROM debian:12
ARG PKGS="curl git"
RUN apt-get update && apt-get install -y $PKGS
RUN apt-get install -y $(cat /tmp/packages.txt)
RUN apt-get install -y 'libssl*'
RUN apt-get install -y ./vendor.deb
RUN dpkg -i /tmp/x.deb || apt-get install -f -y
