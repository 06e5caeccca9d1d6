FROM python:3.12 AS base
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install poetry

FROM base AS deps
RUN pip install -r requirements.txt

FROM python:3.12-slim AS final
ARG PIP_NO_CACHE_DIR
RUN pip install app.whl

FROM python:3.12-slim AS other
RUN pip install app.whl
