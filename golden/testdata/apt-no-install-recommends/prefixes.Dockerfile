FROM debian:12
USER builder
RUN sudo apt-get update && sudo apt-get install -y make
RUN sudo DEBIAN_FRONTEND=noninteractive apt-get -y install tzdata
RUN env DEBIAN_FRONTEND=noninteractive apt-get install -yq locales
RUN DEBIAN_FRONTEND=noninteractive /usr/bin/apt install -y less
RUN if [ -n "$DEV" ]; then apt-get install -y gdb; fi \
    && for i in 1 2; do (apt-get install -y strace); done
