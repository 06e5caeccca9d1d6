FROM debian:12
RUN ./fetch.sh || ./fetch-mirror.sh
RUN ./build.sh
RUN test -f /etc/app.conf || cp /defaults/app.conf /etc/app.conf
