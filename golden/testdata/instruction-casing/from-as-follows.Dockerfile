arg VERSION=3.20
From alpine:${VERSION} as base
RUN true
COPY a b
