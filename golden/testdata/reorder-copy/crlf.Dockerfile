FROM python:3.12
WORKDIR /app
# sources
COPY . /app/
RUN apt-get update && \
    apt-get install -y gcc
RUN pip install -r requirements.txt
