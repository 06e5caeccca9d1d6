FROM debian:12 AS base
RUN echo 'APT::Install-Recommends "false";' > /etc/apt/apt.conf.d/99no-recommends
RUN apt-get update && apt-get install -y make

FROM base AS child
# recommends are off through the parent's apt.conf: left alone
RUN apt-get update && apt-get install -y gcc

FROM debian:12 AS fetch
RUN apt-get update && apt-get install -y ca-certificates
RUN apt-get install -y curl

FROM fetch
RUN apt-get install -y wget
