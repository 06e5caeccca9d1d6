ARG BASE=python:latest
FROM ${BASE} AS app
CMD ["python"]
