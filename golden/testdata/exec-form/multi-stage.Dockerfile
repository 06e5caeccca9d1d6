FROM node:20 AS build
WORKDIR /src
CMD npm run build

FROM build AS test
CMD npm test -- --ci

FROM nginx:1.27 AS web
COPY --from=build /src/dist /usr/share/nginx/html
# nginx's entrypoint runs /docker-entrypoint.d/ only when its first argument is
# `nginx` (shell form gives it /bin/sh): converting would change the start-up.
CMD nginx -g 'daemon off;'
