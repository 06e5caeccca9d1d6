FROM python:3.11
COPY hello.c .
RUN ["gcc", "-o", "/usr/local/bin/hello", "hello.c"]
CMD ["hello"]
