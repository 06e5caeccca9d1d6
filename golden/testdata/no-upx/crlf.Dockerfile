FROM golang:1.22 AS build
RUN go build -o /app . && upx --best --lzma /app
FROM scratch
COPY --from=build /app /app
