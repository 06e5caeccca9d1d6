FROM alpine:3.20
ENV CFLAGS -O2 \
    # keep frame pointers
    -fno-omit-frame-pointer
