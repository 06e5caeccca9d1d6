# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN ["apk", "add", "curl"]
RUN <<EOF
apk add git
EOF
ONBUILD RUN apk add make
RUN echo "apk add curl" > /notes.txt
