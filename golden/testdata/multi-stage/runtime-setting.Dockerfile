FROM gcc:13
WORKDIR /src
COPY hello.c .
RUN gcc -static -o /hello hello.c
ENTRYPOINT ["/hello"]
