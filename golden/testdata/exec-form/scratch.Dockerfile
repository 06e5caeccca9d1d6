FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .

FROM scratch
COPY --from=build /app /app
# scratch has no /bin/sh: these could never start in shell form.
ENTRYPOINT /app
CMD serve --port 8080
