FROM debian:12
RUN apt-get update && apt-get install -y a && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y b && rm -rf /var/lib/apt/lists
RUN apt-get update && apt-get install -y c \
    && rm -rf /var/lib/apt/lists/ /tmp/*
RUN apt-get update && apt-get install -y d; sudo rm -rf /var/lib/apt
RUN apt-get install -y e
