FROM gcc:13-bookworm
COPY hello.c .
RUN gcc -o /hello hello.c

FROM debian:bookworm-slim
COPY --from=0 /hello /usr/local/bin/hello
CMD ["hello"]
