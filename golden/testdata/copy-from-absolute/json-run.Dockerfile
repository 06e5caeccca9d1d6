FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN ["go", "build", "-o", "hello", "."]

FROM debian:bookworm-slim
COPY --from=build hello /usr/local/bin/hello
