FROM debian:bookworm
RUN apt-get update
# the tools
RUN apt-get install -y \
    # a comment inside the continuation
    curl
CMD curl --version