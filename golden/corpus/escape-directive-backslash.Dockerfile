# escape=\
FROM alpine
RUN apk add --no-cache bash \
    coreutils
CMD bash -c 'echo "\\ backslash"'
