FROM golang:1.22
RUN <<EOF
go build -o /a ./cmd/a
EOF

FROM golang:1.22
RUN ["go", "build", "-o", "/b", "./cmd/b"]

FROM debian:bookworm-slim
COPY --from=0 /a /usr/local/bin/a
COPY --from=1 /b /usr/local/bin/b
