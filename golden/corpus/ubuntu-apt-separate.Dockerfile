FROM ubuntu:20.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update
RUN apt-get -y install build-essential cmake git
RUN apt-get -y install libboost-all-dev
WORKDIR /src
COPY . .
RUN cmake -B build && cmake --build build -j
CMD ./build/server
