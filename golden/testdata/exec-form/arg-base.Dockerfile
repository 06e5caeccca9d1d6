# The base image is a build argument: its ENTRYPOINT is unknown.
ARG BASE_IMAGE=python:3.12
FROM ${BASE_IMAGE}
CMD python app.py

ARG TAG=3.12
FROM python:$TAG
CMD python app.py
