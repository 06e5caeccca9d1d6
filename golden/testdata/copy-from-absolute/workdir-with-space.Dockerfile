FROM debian AS b
WORKDIR w x
FROM c
COPY --from=b f d
