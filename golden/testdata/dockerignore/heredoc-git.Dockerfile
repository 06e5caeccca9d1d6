# syntax=docker/dockerfile:1
FROM debian:bookworm-slim
COPY . /src
RUN <<EOF
set -e
cat /src/.git/HEAD > /revision
EOF
