FROM python:3.12-slim AS build
WORKDIR /src
ADD requirements.txt .
ADD . /src
RUN pip install -r requirements.txt

FROM python:3.12-slim
# the app and its config
ADD app.py config/ /app/
ADD https://example.com/robots.txt /app/static/
CMD ["python", "/app/app.py"]
