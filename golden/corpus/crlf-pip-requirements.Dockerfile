FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt && pip install gunicorn
COPY . .
CMD gunicorn app:app
