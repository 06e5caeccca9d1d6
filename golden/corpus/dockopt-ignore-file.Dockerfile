# dockopt:ignore-file
FROM debian:bookworm
RUN apt-get update && apt-get install -y vim
CMD vim
