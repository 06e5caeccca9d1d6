FROM ubuntu:22.04
MAINTAINER Jane Doe <jane@example.com>

RUN apt-get update
RUN apt-get install -y python3 python3-pip
RUN pip3 install flask gunicorn

ADD . /opt/webapp/
WORKDIR /opt/webapp

EXPOSE 5000
CMD gunicorn --bind 0.0.0.0:5000 wsgi:app
