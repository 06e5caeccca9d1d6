from golang:1.22
run upx-ucl /app