FROM alpine:3.20
RUN true
copy \
    # the sources
    src /src
