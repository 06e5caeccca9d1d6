FROM debian:12
# Tools for the build.
RUN apt-get update \
    && apt-get install -y \
        curl \
        jq \
    && rm -rf /var/lib/apt/lists/*
