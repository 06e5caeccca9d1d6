# A base image for other builds: its ONBUILD COPY --from=0 counts the stages
# of the Dockerfile that uses it, not of this one.
FROM golang:1.22
RUN go version

FROM debian:bookworm-slim
ONBUILD RUN echo building
ONBUILD COPY --from=0 /go/bin/app /app
