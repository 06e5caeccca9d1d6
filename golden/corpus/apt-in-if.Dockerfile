FROM debian:bookworm
ARG WITH_DEV=0
RUN if [ "$WITH_DEV" = "1" ]; then \
      apt-get update && apt-get install -y gdb strace; \
    fi
