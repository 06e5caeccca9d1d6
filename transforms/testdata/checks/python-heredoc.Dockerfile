# syntax=docker/dockerfile:1
ARG PY=python:3.12-slim
FROM ${PY} AS base
RUN <<EOF
cd /opt/app
pip install -r requirements.txt
EOF
FROM base
ENTRYPOINT ["python", "-m", "app"]
