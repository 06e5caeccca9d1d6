FROM golang:1.22
ONBUILD RUN upx /usr/local/bin/app
