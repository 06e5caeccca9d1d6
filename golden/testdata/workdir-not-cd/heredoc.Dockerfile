FROM debian:12
RUN <<EOF
cd /src
./configure
make
EOF
