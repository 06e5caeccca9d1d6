FROM python:3.12-slim
WORKDIR /app
COPY --chown=1000:1000 . .
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "-m", "app"]
