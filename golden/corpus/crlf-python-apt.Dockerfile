FROM python:3.11
RUN apt-get update && \
    apt-get install -y \
        libpq-dev \
        # needed for Pillow
        libjpeg-dev \
        gcc
RUN pip install -r requirements.txt
COPY . /app
WORKDIR /app
CMD python manage.py runserver 0.0.0.0:8000
