FROM alpine:3.20
ENV APP_HOME /srv/app
ENV APP_ARGS --port 8080
