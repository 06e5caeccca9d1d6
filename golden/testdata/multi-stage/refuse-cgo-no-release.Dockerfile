# sqlite3 needs cgo; golang:1.22 does not say which Debian it is built on.
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /app .
CMD ["/app"]
