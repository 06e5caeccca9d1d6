FROM debian:12
RUN apt-get update && apt-get install -y git
RUN --mount=type=ssh git clone git@github.com:example/private.git /src
