FROM debian:12 AS base
RUN apt-get update && apt-get install -y make

FROM base AS child
# this stage updates for itself, so base's lists can go
RUN apt-get update && apt-get install -y gcc

FROM debian:12 AS lists-needed
RUN apt-get update

FROM lists-needed
# relies on the parent's package lists
RUN apt-get install -y curl
