FROM debian:12
RUN <<EOF
sudo make install
EOF
