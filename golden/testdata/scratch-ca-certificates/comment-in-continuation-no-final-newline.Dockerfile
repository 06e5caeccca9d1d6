FROM scratch
COPY app \
# the binary
     /app
ENTRYPOINT ["/app"]