FROM golang:1.22
RUN go build -o /hello .

FROM debian:bookworm-slim
# BuildKit reads from=0 in a mount as an image named "0", never as a stage index.
RUN --mount=from=0,target=/b cp /b/hello /usr/local/bin/
