# A small service on the full image: nothing it runs needs a compiler.
FROM python:3.11
WORKDIR /app
COPY app.py .
RUN python3 -m compileall -q /app
CMD ["python3", "app.py"]
