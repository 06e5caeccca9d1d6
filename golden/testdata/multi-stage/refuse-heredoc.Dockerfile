FROM golang:1.22
WORKDIR /src
COPY hello.go .
RUN <<EOF
set -e
CGO_ENABLED=0 go build -o /hello hello.go
EOF
CMD ["/hello"]
