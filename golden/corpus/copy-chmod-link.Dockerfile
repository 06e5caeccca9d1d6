# syntax=docker/dockerfile:1
FROM alpine:3.20
COPY --chmod=0755 --link entrypoint.sh /usr/local/bin/
COPY --chown=1000:1000 --chmod=644 config/ /etc/app/
RUN apk add --no-cache tini
ENTRYPOINT ["/sbin/tini", "--", "entrypoint.sh"]
