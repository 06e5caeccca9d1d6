FROM alpine:3.20
MAINTAINER "The $TEAM team" <ops\example.com>
