FROM alpine:3.19
RUN apk update
RUN apk add curl jq bash
COPY entrypoint.sh /entrypoint.sh
RUN chmod +x /entrypoint.sh
ENTRYPOINT ["/entrypoint.sh"]
