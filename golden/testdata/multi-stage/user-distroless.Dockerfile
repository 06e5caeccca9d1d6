FROM golang:1.22
RUN useradd --uid 10001 --no-create-home app
WORKDIR /src
COPY . .
RUN go build -o /bin/app .
USER app:app
ENTRYPOINT ["/bin/app"]
