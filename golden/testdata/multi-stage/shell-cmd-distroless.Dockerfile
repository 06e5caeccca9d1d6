FROM golang:1.22
WORKDIR /src
COPY hello.go .
RUN go build -o /usr/local/bin/hello hello.go
CMD hello --greeting "good morning"
