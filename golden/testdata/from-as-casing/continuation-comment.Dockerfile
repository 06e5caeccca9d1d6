FROM golang:1.22 \
    # a named stage
    as build
