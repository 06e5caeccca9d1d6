FROM python:3.12-alpine
COPY app.py /app.py
CMD exec python /app.py
