FROM ubuntu:24.04
RUN apt-get update && \
    # tools we need at build time
    apt-get install -y \
        build-essential \
        # for TLS
        libssl-dev \
        # pkg-config finds the libs
        pkg-config && \
    # all done
    echo ok
