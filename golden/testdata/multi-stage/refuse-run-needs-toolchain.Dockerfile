# A RUN after the build installs a start script that calls the compiler.
FROM debian:bookworm
RUN apt-get update && apt-get install -y gcc libc6-dev
WORKDIR /src
COPY hello.c .
RUN gcc -o /usr/local/bin/hello hello.c
RUN printf '#!/bin/sh\ngcc -o /tmp/plugin /src/plugin.c && exec hello\n' > /usr/local/bin/start \
 && chmod +x /usr/local/bin/start
CMD ["start"]
