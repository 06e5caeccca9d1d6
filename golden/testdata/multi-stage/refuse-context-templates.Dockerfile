# The server reads templates/ from its working directory at run time.
FROM golang:1.22
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /src/server .
CMD ["./server"]
