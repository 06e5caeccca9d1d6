FROM erlang:27-alpine AS builder
WORKDIR /src
COPY . .
RUN rebar3 as prod release

FROM alpine:3.20
RUN apk add --no-cache openssl ncurses-libs libstdc++
COPY --from=builder /src/_build/prod/rel/myapp /opt/myapp
CMD ["/opt/myapp/bin/myapp", "foreground"]
