FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y \
    ca-certificates \
# trailing comment right after the last continued line
