# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN --mount=type=cache,target=/var/cache/apk \
    ln -s /var/cache/apk /etc/apk/cache && apk add curl
RUN --mount=type=cache,id=apk,target=/etc/apk/cache,sharing=locked apk add git
