FROM golang:1.22 AS build
RUN go build -o /out/app ./cmd/app

FROM debian:12-slim
COPY --from=build /out/app /usr/local/bin/app
# The stage has no CMD: exec form lets `docker run IMAGE ARGS` reach app.
ENTRYPOINT /usr/local/bin/app --config /etc/app.yaml
