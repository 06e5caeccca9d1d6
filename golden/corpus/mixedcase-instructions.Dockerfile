From debian:bookworm-slim
Run apt-get update && apt-get install -y procps
Label org.opencontainers.image.title="mixed case"
Cmd ps aux
