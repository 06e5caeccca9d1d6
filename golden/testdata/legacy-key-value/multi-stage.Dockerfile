FROM node:20 AS build
ENV NODE_ENV production
RUN npm ci
FROM nginx:alpine
ENV PORT=80
ENV ROOT /usr/share/nginx/html
