FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -ldflags "-X main.version=$(git describe --tags --always)" -o /app .
CMD ["/app"]
