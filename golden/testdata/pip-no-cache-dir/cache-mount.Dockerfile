# syntax=docker/dockerfile:1
FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
RUN --mount=type=cache,target=/root/.cache \
    pip install flask
ENV PIP_CACHE_DIR=/var/pip
RUN --mount=type=cache,target=/var/pip pip install django
RUN --mount=type=cache,target=/var/cache/apt pip install celery
