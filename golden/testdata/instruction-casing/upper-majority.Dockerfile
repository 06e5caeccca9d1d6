FROM alpine:3.20
run apk add --no-cache curl
WORKDIR /app
COPY . .
cmd ["sh"]
