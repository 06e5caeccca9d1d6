FROM ubuntu:18.04
RUN apt-get update && apt-get upgrade -y && apt-get install -y nginx && apt-get clean
COPY site.conf /etc/nginx/sites-enabled/default
EXPOSE 80
CMD nginx -g "daemon off;"
