FROM python:3.11-alpine

RUN apk add gcc musl-dev libffi-dev postgresql-dev
RUN pip install --upgrade pip
COPY requirements.txt /tmp/
RUN pip install -r /tmp/requirements.txt
COPY . /srv/app
WORKDIR /srv/app
USER nobody
CMD celery -A proj worker --loglevel=INFO
