FROM alpine:3.20
ADD \
    # the scripts
    scripts/start.sh \
    scripts/stop.sh \
    /usr/local/bin/
