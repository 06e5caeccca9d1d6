FROM alpine:3.20
# build deps are removed at the end
RUN apk add --virtual .build-deps \
# compilers
        gcc musl-dev \
    && apk add \
        # runtime
        libpq \
    && make \
    && apk del .build-deps \
    && rm -rf /var/cache/apk/*
