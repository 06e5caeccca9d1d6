from alpine:3.20
run apk update
Run apk add curl
run rm -rf /var/cache/apk/*
