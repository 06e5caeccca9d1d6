# go build ./... builds every package and keeps none: the artifact is unknown.
FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build ./...
CMD ["/src/server"]
