FROM debian:12
RUN apt-get update
RUN apt-get install -y curl
RUN echo "built on $(date)" > /etc/build-info
RUN make -C /src
RUN rm -rf /var/lib/apt/lists/*
RUN useradd -m app
RUN mkdir /data
