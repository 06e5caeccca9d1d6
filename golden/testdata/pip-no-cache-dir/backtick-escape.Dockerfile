# escape=`
FROM python:3.12
RUN pip install `
      flask `
      gunicorn
