FROM debian:12-slim AS base
RUN apt-get update && apt-get install -y ca-certificates

FROM base AS app
COPY app /usr/local/bin/app

# Built FROM app, FROM base, FROM debian: no ENTRYPOINT anywhere in the chain.
FROM app
CMD app --serve
