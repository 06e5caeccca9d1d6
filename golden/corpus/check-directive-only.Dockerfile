# check=skip=StageNameCasing
FROM golang:1.22 AS Builder
RUN go install golang.org/x/tools/gopls@latest
FROM debian:bookworm-slim
COPY --from=Builder /go/bin/gopls /usr/local/bin/gopls
ENTRYPOINT gopls
