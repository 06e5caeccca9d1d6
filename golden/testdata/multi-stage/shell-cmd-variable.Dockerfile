FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -o /usr/local/bin/hello hello.c
ENV GREETING=hi
CMD hello "$GREETING" && echo done
