from golang:1.22
workdir /src
copy hello.go .
run CGO_ENABLED=0 go build -o /usr/local/bin/hello hello.go
cmd ["hello"]
