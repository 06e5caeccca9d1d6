FROM alpine:3.20
RUN echo a \
    # a comment line stays

    && echo b
