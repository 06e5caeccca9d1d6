FROM golang:1.22
SHELL ["powershell", "-Command"]
WORKDIR /src
COPY hello.go .
RUN go build -o /hello hello.go
CMD ["/hello"]
