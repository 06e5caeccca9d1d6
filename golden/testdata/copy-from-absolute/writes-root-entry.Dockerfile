# The build also writes /hello: the relative source works today.
FROM golang:1.22 AS build
COPY hello.go .
RUN go build hello.go && cp hello /hello

FROM debian:bookworm-slim
COPY --from=build hello /usr/local/bin/hello
