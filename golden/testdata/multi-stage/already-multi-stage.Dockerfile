FROM golang:1.22 AS builder
COPY hello.go .
RUN go build hello.go

FROM gcr.io/distroless/static-debian12
COPY --from=builder /go/hello /hello
CMD ["/hello"]
