FROM debian:12
# refresh the index
RUN apt-get update

# the tools we need
  # (indented comment)

RUN apt-get install -y \
    # an http client
    curl \
    git
RUN \
    # clean up in the same layer
    rm -rf /var/lib/apt/lists/*
