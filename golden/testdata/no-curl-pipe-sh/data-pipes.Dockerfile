FROM debian:12
RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg
RUN curl -sL https://example.com/a.tar.gz | tar -xz -C /opt
