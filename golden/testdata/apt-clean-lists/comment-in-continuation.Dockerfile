FROM debian:12
RUN apt-get update \
# tools we need
    && apt-get install -y make \
    # the compiler
    && apt-get install -y gcc
