FROM alpine:3.20 AS Assets
FROM nginx:alpine
COPY \
    # built assets
    --from=Assets /dist /usr/share/nginx/html
