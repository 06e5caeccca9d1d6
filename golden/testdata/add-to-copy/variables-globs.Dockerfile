FROM alpine:3.20
ARG CONFIG=app.conf
ADD $CONFIG /etc/app/
ADD ${CONFIG} /etc/app2/
ADD *.conf /etc/app3/
ADD "my file.txt" /srv/
