FROM alpine:3.20
MAINTAINER Jane Doe \
    # her address
    <jane@example.com>
