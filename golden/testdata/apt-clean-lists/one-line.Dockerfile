FROM debian:12
RUN apt-get -qq update; apt-get install -y make # keep it small
run apt-get update && apt-get install -y gcc
