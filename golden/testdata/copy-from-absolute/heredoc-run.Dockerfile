FROM golang:1.22 AS build
COPY hello.go .
RUN <<EOF
go build hello.go
EOF

FROM debian:bookworm-slim
COPY --from=build hello /usr/local/bin/hello
