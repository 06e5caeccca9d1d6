# /data is made for the program at run time.
FROM golang:1.22
WORKDIR /src
COPY hello.go .
RUN CGO_ENABLED=0 go build -o /hello hello.go
RUN mkdir -p /data && chown 1000 /data
VOLUME /data
CMD ["/hello"]
