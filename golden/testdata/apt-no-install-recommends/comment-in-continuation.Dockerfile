FROM debian:12
RUN apt-get update \
# build tools
    && apt-get install -y build-essential \
    # and a downloader
    && apt-get install -y curl ca-certificates \
    && rm -rf /var/lib/apt/lists/*
