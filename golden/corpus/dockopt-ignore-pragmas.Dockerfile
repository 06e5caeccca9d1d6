FROM debian:bookworm
# dockopt:ignore
RUN apt-get update && apt-get install -y vim
RUN apt-get update && apt-get install -y less
CMD less
