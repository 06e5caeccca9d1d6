FROM alpine:3.20
COPY . /app
RUN apk add --no-cache tini