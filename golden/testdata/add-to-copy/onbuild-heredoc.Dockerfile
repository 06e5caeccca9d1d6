FROM alpine:3.20
ONBUILD ADD app.py /app/
ADD <<EOF /etc/motd
hello
EOF
