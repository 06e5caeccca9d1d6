FROM debian:12
RUN apt-get update

# tools
RUN apt-get install -y \
    curl \
    git
RUN rm -rf /var/lib/apt/lists/*
