FROM python:3.12-slim
RUN mkdir -p /usr/src/app
WORKDIR /usr/src/app
ONBUILD COPY requirements.txt /usr/src/app/
ONBUILD RUN pip install -r requirements.txt
ONBUILD COPY . /usr/src/app
ONBUILD RUN apt-get update && apt-get install -y gettext
CMD python app.py
