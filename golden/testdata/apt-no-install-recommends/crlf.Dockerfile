FROM debian:12
RUN apt-get update \
    && apt-get install -y git make \
    && rm -rf /var/lib/apt/lists/*
CMD ["make"]
