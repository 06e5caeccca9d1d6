FROM alpine:3.20
Run true
Workdir /app
