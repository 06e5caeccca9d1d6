# escape=`
FROM debian:bookworm-slim
RUN apt-get update && `
    apt-get install -y curl && `
    echo "a\b is not an escape here"
CMD curl --version
