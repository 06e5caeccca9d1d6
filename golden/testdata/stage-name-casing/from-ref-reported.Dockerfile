FROM golang:1.22 AS Builder
RUN go build -o /out/app .
# BuildKit does not lower-case FROM references: this names no stage
FROM Builder AS test
RUN go test ./...
