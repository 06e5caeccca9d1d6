FROM alpine:3.20
ONBUILD RUN echo a \

    b
