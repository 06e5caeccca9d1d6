FROM golang:1.22
RUN <<EOF
go build -o /app .
upx -9 /app
EOF
