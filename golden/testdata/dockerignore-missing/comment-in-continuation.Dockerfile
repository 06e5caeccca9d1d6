FROM nginx:1.27
ADD \
# the site
    ./ /usr/share/nginx/html/
