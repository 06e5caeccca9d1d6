FROM python:3.12
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y libpq5
RUN pip install -r requirements.txt
