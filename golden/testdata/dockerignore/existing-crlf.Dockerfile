FROM python:3.12-slim
COPY . /app
CMD ["python", "/app/app.py"]
