FROM alpine:3.20
RUN apk add --no-cache curl
RUN apk --no-cache add git && apk del curl
RUN apk update && apk upgrade
