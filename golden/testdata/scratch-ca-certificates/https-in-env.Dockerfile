FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .
FROM scratch
ENV UPSTREAM=https://api.example.com
COPY --from=build /app /app
CMD ["/app"]
