FROM golang:1.22 AS build
MAINTAINER build team
RUN go version
# runtime
FROM gcr.io/distroless/static
MAINTAINER   runtime team   
