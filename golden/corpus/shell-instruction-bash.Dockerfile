FROM ubuntu:22.04
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN apt-get update && apt-get install -y wget && wget -qO- https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg
CMD echo done
