FROM golang:1.23 AS build
RUN go mod download
RUN go build -o /out/app .

FROM debian:12
RUN apt-get update
RUN apt-get install -y ca-certificates
COPY --from=build /out/app /usr/local/bin/app
RUN app --version
