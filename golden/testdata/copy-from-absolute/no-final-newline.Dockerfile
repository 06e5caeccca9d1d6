FROM golang:1.22 AS build
COPY hello.go .
RUN go build hello.go

FROM debian:bookworm-slim
COPY --from=build hello /usr/local/bin/hello