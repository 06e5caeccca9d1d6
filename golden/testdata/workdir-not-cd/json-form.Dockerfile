FROM debian:12
RUN ["sh", "-c", "cd /src && make"]
