FROM ubuntu:24.04
# app sources
COPY src/ /opt-app/src/
RUN apt-get update \
    # compilers
    && apt-get install -y build-essential \
    # cleanup
    && rm -rf /var/lib/apt/lists/*
RUN make -C /opt-app/src
