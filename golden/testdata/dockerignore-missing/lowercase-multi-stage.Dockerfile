from golang:1.22 as build
copy . /src
from alpine:3.20
copy --from=build /src/app /app
