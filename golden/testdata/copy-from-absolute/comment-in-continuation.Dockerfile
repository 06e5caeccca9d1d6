FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o app .

FROM debian:bookworm-slim
COPY --from=build \
# the program, built in /src
    app \
    /usr/local/bin/app
CMD ["app"]
