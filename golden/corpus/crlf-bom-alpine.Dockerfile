# a BOM, CRLF and an apk add without --no-cache
FROM alpine:3.20
RUN apk add git
ENTRYPOINT git
