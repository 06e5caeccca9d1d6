FROM python:3.12
RUN python -m venv /v && \
    /v/bin/pip install -e .
