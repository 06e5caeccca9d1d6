FROM debian:12
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN curl -fsSL https://example.com/key | gpg --dearmor > /usr/share/keyrings/example.gpg
RUN ./configure; make
RUN make install
