from golang:1.22 as build
run go build -o /app .
from alpine:latest
copy --from=build /app /app
