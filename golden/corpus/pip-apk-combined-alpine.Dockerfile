FROM python:3.12-alpine
RUN apk update && apk add --virtual build gcc musl-dev && pip install -r /tmp/req.txt && apk del build
RUN apk add --no-cache libstdc++ && pip3 install --no-cache-dir numpy
