FROM debian:12
RUN ./download.sh
RUN ./prepare.sh; ./build.sh; ./report.sh
RUN ./install.sh; ./check.sh
