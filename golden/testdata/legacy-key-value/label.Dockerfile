FROM alpine:3.20
LABEL version 1.0
LABEL description "A small image"
LABEL vendor=acme
