FROM debian:12-slim AS base
ENTRYPOINT /usr/local/bin/app serve
CMD ["--verbose"]

FROM base AS with-child
CMD ["--quiet"]

FROM debian:12-slim AS parent
ENTRYPOINT /usr/local/bin/worker
FROM parent
