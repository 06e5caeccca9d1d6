FROM debian:bookworm-slim
    RUN apt-get update && apt-get install -y nano
  WORKDIR /data
        CMD nano
