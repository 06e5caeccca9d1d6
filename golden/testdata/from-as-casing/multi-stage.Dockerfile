FROM --platform=$BUILDPLATFORM golang:1.22 as build
FROM alpine:3.20 As runtime
FROM runtime AS final
