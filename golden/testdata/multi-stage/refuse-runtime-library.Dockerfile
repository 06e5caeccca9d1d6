# libcurl is needed at run time; the runtime image would not have it.
FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc libc6-dev libcurl4-openssl-dev
WORKDIR /src
COPY fetch.c .
RUN gcc -o /usr/local/bin/fetch fetch.c -lcurl
CMD ["fetch"]
