FROM alpine:3.20
# the old default
CMD ["sh", \
    # interactive
    "-i"]
# the real default
CMD ["sh"]
