FROM alpine:3.20 AS base
ONBUILD COPY --from=Base /a /a
COPY --from=MyRegistry/tool:Latest /b /b
ARG S=base
COPY --from=$S /c /c
