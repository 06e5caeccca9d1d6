FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build

FROM nginx:1.27
COPY --from=0 /app/dist /usr/share/nginx/html