FROM alpine:latest
RUN apk update && apk upgrade && apk add --update openssh-client git rsync && rm -rf /var/cache/apk/*
WORKDIR /root
CMD /bin/sh
