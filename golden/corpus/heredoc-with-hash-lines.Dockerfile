# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
RUN <<EOF
set -e
# this is a shell comment inside a heredoc, not a Dockerfile comment
apt-get update
apt-get install -y jq
EOF
