FROM debian:bookworm-slim
RUN ["apt-get", "update"]
RUN ["apt-get", "install", "-y", "curl"]
RUN ["/bin/bash", "-c", "echo hello && echo world"]
ENTRYPOINT ["/usr/bin/curl"]
CMD ["--help"]
