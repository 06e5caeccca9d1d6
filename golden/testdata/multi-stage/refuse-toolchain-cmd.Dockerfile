# go run compiles at every start: the runtime needs the toolchain.
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/server .
CMD ["go", "run", "."]
