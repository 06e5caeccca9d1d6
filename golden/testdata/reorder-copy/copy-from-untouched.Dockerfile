FROM alpine:3.20 AS assets
RUN mkdir -p /assets

FROM alpine:3.20
COPY --from=assets /assets /srv/assets
RUN apk add --no-cache curl
