FROM nginx:alpine
EXPOSE 80/TCP
