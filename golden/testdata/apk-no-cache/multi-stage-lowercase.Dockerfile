from golang:1.22-alpine as build
run apk add git make
copy . /src
run cd /src && make

from alpine:3.20
run apk add ca-certificates
copy --from=build /src/app /app
