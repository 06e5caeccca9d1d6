FROM debian:bookworm
RUN apt-get update && apt-get install -y make && apt-get install -y gcc; apt-get install -y --no-install-recommends g++ || true
