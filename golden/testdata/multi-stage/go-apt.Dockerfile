FROM debian:bookworm
RUN apt-get update && apt-get install -y golang-go
WORKDIR /src
COPY hello.go .
RUN go build -o /usr/local/bin/hello hello.go
CMD ["hello"]
