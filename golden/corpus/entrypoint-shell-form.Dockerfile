FROM alpine
RUN apk add --no-cache ca-certificates
COPY bin/app /usr/bin/app
ENTRYPOINT /usr/bin/app --config /etc/app.yml
