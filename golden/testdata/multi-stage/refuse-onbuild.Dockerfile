FROM golang:1.22
ONBUILD RUN echo building a child image
WORKDIR /src
COPY hello.go .
RUN CGO_ENABLED=0 go build -o /hello hello.go
CMD ["/hello"]
