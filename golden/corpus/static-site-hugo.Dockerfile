FROM klakegg/hugo:0.111.3-ext-alpine AS build
COPY . /src
RUN hugo --minify

FROM nginx:alpine
COPY --from=build /src/public /usr/share/nginx/html
