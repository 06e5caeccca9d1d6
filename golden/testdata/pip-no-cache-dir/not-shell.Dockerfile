# syntax=docker/dockerfile:1
FROM python:3.12
RUN ["pip", "install", "flask"]
RUN <<EOF
pip install django
EOF
ONBUILD RUN pip install -r requirements.txt
