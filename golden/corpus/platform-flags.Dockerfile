FROM --platform=$BUILDPLATFORM tonistiigi/xx AS xx
FROM --platform=$BUILDPLATFORM golang:1.23-alpine AS build
COPY --from=xx / /
ARG TARGETPLATFORM
RUN xx-apk add musl-dev gcc
WORKDIR /src
COPY . .
RUN xx-go build -o /out/tool ./cmd/tool && xx-verify /out/tool
FROM --platform=linux/amd64 alpine:3.20
COPY --from=build /out/tool /usr/bin/tool
ENTRYPOINT ["tool"]
