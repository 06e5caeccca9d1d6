FROM debian:12
ONBUILD RUN sudo -E ./setup.sh
