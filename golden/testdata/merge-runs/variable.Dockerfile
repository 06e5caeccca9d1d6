FROM alpine:3.20
RUN VERSION=1.2.3
RUN echo "version=${VERSION:-unset}"
RUN for f in a b; do touch /tmp/$f; done
RUN echo "f=$f"
