FROM debian:12
RUN ["sh", "-c", "sh -c \"$(curl -fsSL https://example.com/install.sh)\""]
