FROM golang@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef AS build
RUN go build -o /app .
FROM scratch
COPY --from=build /app /app
