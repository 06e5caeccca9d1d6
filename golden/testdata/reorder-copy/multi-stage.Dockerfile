FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 go build -o /out/app .

FROM debian:12-slim
COPY --from=build /out/app /usr/local/bin/app
COPY config/ /etc/app/
COPY static/ /srv-static/
RUN apt-get update && apt-get install -y ca-certificates
ENTRYPOINT ["app"]
