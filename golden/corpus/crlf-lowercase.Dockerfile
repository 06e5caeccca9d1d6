from alpine:3.18
run apk update && apk add python3
workdir /srv
copy . .
cmd python3 -m http.server 8000
