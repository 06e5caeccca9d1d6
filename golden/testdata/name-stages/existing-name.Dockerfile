FROM golang:1.22 AS build
RUN go build -o /hello .

FROM alpine:3.20
RUN apk add --no-cache ca-certificates

FROM scratch
COPY --from=0 /hello /hello
COPY --from=1 /etc/ssl/certs /etc/ssl/certs
ENTRYPOINT ["/hello"]
