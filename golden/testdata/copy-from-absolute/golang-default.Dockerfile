# The golang image works in /go: `go build hello.go` writes /go/hello.
FROM golang:1.22
COPY hello.go .
RUN go build hello.go

FROM debian:bookworm-slim
COPY --from=0 hello /usr/local/bin/hello
CMD ["hello"]
