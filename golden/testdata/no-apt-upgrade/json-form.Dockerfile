FROM debian:12
RUN ["/bin/bash", "-c", "apt-get update && apt-get full-upgrade -y"]
