FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o server ./cmd/server

FROM gcr.io/distroless/base-debian12
COPY --from=build server /server
CMD ["/server"]
