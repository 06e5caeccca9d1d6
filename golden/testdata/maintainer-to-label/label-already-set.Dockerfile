FROM alpine:3.20
LABEL org.opencontainers.image.authors="Ops <ops@example.com>"
MAINTAINER Jane
