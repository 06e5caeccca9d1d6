FROM golang AS build
WORKDIR /src
COPY . .
RUN go build -o /app . && upx /app
FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app", "--api=https://api.example.com"]
