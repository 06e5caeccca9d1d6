FROM haskell:9.6 AS build
WORKDIR /opt/app
COPY stack.yaml package.yaml ./
RUN stack build --only-dependencies
COPY . .
RUN stack install --local-bin-path /opt/bin

FROM ubuntu:22.04
RUN apt-get update && apt-get install -y libgmp10 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/bin/app /usr/local/bin/app
CMD app
