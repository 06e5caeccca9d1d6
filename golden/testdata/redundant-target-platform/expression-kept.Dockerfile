FROM --platform=${TARGETPLATFORM:-linux/amd64} alpine:3.20
FROM --platform=linux/amd64 alpine:3.20 AS amd64
