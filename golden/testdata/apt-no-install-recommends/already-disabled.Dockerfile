FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN apt-get install -y wget --no-install-recommends
RUN apt-get -o APT::Install-Recommends=False install -y git
RUN apt-get install -y --install-recommends texlive
RUN apt-get install -y -o apt::install-recommends=0 make
RUN printf 'APT::Install-Recommends "0";\n' > /etc/apt/apt.conf.d/01norec && apt-get install -y gcc
