FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -o hello hello.c
CMD ["./hello"]