FROM alpine:3.20
CMD ["sh"]
RUN apk add --no-cache curl
CMD ["curl", "--version"]
