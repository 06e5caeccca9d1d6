FROM golang:1.22 AS Builder
FROM alpine:3.20
COPY --from=Builder /a /a
