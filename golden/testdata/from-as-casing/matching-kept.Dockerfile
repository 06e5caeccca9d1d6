FROM golang:1.22 AS build
from alpine:3.20 as runtime
FROM alpine:3.20
