FROM debian:12
RUN set -e
RUN false; echo "ran without errexit, as before"
RUN set -eux; apt-get update; apt-get install -y make
