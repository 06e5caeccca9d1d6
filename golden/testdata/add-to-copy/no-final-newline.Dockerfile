FROM alpine:3.20
RUN adduser -D app
ADD --chown=app motd /etc/motd