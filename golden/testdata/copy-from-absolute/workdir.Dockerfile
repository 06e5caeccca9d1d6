FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -o hello hello.c

FROM debian:bookworm-slim
COPY --from=build hello /usr/local/bin/hello
CMD ["hello"]
