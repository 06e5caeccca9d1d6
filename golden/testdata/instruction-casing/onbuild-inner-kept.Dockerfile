FROM alpine:3.20
ONBUILD run true
