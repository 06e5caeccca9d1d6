# dockopt's own image: a static binary on an empty base.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/dockopt ./cmd/dockopt

FROM scratch
COPY --from=build /out/dockopt /dockopt
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/dockopt"]
CMD ["--help"]
