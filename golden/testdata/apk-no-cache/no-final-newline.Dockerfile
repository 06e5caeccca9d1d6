FROM alpine:3.20
RUN apk add --update tzdata && \
    cp /usr/share/zoneinfo/UTC /etc/localtime