FROM alpine:3.20
RUN apk -U add \
      git \
      openssh-client
WORKDIR /src
