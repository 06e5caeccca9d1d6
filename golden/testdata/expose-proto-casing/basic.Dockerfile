FROM nginx:alpine
EXPOSE 80/TCP 443/Tcp
