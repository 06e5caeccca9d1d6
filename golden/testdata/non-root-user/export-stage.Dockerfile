FROM golang:1.22 AS build
RUN go build -o /out/app .
FROM scratch
COPY --from=build /out /
