# python images have no ENTRYPOINT: the CMD is the command line itself.
FROM python:3.12-slim@sha256:2f3a6b7c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8 AS app
WORKDIR /app
COPY . .
CMD python app.py --port 8000

FROM docker.io/library/python:3.12
CMD python -m http.server
