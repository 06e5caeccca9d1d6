FROM alpine:3.20
ENV API_KEY \
# from the vault
    abc123
