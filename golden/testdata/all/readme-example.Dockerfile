# A typical first Dockerfile: every line works, and the image is bigger and
# slower to rebuild than it needs to be.
FROM debian:bookworm

# Tools the app needs at run time
RUN apt-get update
RUN apt-get install -y \
    curl \
    python3

WORKDIR /app
COPY . .
RUN useradd --create-home app

USER app
CMD python3 app.py --port 8080
