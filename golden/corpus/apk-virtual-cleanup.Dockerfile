FROM python:3.12-alpine
RUN apk add --virtual .build-deps gcc musl-dev libffi-dev \
    && pip install cryptography \
    && apk del .build-deps
