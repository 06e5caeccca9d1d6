# syntax=docker/dockerfile:1
FROM debian:12
RUN rm -f /etc/apt/apt.conf.d/docker-clean
RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \
    --mount=type=cache,target=/var/lib/apt,sharing=locked \
    apt-get update && apt-get install -y make
RUN --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y gcc
