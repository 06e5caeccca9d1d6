from alpine:3.20
env lang C.UTF-8
label maintainer jane
