FROM alpine:3.20
ONBUILD CMD ["later"]
CMD ["now"]
