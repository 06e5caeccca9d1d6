# Build the program, then copy it into a small image.
FROM golang:1.22
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/hello .

FROM gcr.io/distroless/static-debian12
COPY --from=0 /out/hello /hello
ENTRYPOINT ["/hello"]
