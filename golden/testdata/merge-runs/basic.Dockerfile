FROM debian:12
RUN apt-get update
RUN apt-get install -y curl \
    git
RUN curl -fsSL https://example.com/install.sh -o /tmp/install.sh
RUN sh /tmp/install.sh
RUN rm -f /tmp/install.sh
CMD ["bash"]
