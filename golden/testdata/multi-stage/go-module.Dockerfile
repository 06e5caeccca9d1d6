# syntax=docker/dockerfile:1
FROM golang:1.22
LABEL org.opencontainers.image.title=server
ENV APP_ENV=production
WORKDIR /src
COPY go.mod ./
RUN go mod download
COPY . .
RUN go vet ./... && go build -trimpath -o /usr/local/bin/server .
EXPOSE 8080
USER nobody
# the server listens on 8080
ENTRYPOINT ["server"]
