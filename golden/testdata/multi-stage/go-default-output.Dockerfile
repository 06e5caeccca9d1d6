FROM golang:1.22
COPY hello.go .
RUN go build hello.go
CMD ["./hello"]
