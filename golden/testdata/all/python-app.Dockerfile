FROM python:3.12
WORKDIR /app
COPY . .
RUN apt-get update
RUN apt-get install -y libpq-dev
RUN pip install -r requirements.txt
EXPOSE 8000
CMD python app.py
