FROM alpine
RUN apk add curl && \
    echo done \