# Build the tool.
FROM debian:bookworm
RUN apt-get update \
# the compiler and the C library headers
 && apt-get install -y gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc \
    -O2 \
# optimise, but keep it portable
    -o /usr/local/bin/hello hello.c

# what the container runs
# hadolint ignore=DL3025
CMD hello \
# say it once
    --once
