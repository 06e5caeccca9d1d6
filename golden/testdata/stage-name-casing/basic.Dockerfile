FROM golang:1.22 AS Builder
RUN go build -o /out/app .
FROM alpine:3.20
COPY --from=Builder /out/app /app
