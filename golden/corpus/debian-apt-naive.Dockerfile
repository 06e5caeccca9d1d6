FROM debian:12
RUN apt-get update && apt-get install -y curl wget git
RUN curl -fsSL https://example.com/install.sh | bash
CMD ["bash"]
