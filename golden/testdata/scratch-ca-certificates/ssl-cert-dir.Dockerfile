FROM scratch
ENV SSL_CERT_DIR=/certs
COPY app /app
CMD ["/app"]
