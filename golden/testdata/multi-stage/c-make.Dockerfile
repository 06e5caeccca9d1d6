FROM gcc:13-bookworm
RUN groupadd -r app && useradd -r -g app app
WORKDIR /opt/hello
COPY Makefile hello.c ./
RUN make -j4
USER app
CMD ["./hello"]
