FROM python:3.11@sha256:4ad7e2d1d5c9a1b0c8f3e6a7b2d4c6e8f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9
CMD ["python3"]
