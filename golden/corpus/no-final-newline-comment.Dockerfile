FROM alpine
RUN apk add curl
# trailing comment without newline