FROM alpine:3.20
RUN apk add --no-cache upx && upx -d /app
