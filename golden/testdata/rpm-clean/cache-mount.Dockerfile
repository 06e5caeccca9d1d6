# syntax=docker/dockerfile:1
FROM fedora:40
RUN --mount=type=cache,target=/var/cache/dnf dnf install gcc
RUN --mount=type=cache,target=/var/cache/dnf,sharing=locked \
    dnf install -y --setopt=keepcache=1 make
