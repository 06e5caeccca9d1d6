# syntax=docker/dockerfile:1
FROM golang:1.23
COPY . /src
WORKDIR /src
RUN --network=none go build -mod=vendor ./...
