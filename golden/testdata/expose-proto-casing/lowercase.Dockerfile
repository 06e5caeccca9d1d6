from nginx:alpine
expose 80/TCP
