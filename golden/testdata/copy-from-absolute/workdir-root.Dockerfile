# Stage 0 works in /: `hello` is /hello, as written.
FROM debian:bookworm AS build
RUN apt-get update && apt-get install -y gcc libc6-dev
COPY hello.c .
RUN gcc -o hello hello.c

FROM debian:bookworm-slim
COPY --from=build hello /usr/local/bin/hello
