FROM alpine:3.20
ADD entrypoint.sh /usr/local/bin/
ADD dist.tar.gz /srv/
CMD ["entrypoint.sh"]
