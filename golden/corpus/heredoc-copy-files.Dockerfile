# syntax=docker/dockerfile:1.4
FROM nginx:alpine
COPY <<EOF /usr/share/nginx/html/index.html
<!doctype html>
<h1>Hello</h1>
EOF
COPY <<-"EOF" /etc/nginx/conf.d/extra.conf
	server_tokens off;
	gzip on;
	EOF
COPY <<script.sh <<config.ini /opt/
#!/bin/sh
echo "$@"
script.sh
[main]
key = value
config.ini
