FROM python:3.12-slim
COPY . /app
RUN python -m venv /app/.venv \
    # the environment the image runs with
    && /app/.venv/bin/pip install --no-cache-dir -r /app/requirements.txt
ENV PATH=/app/.venv/bin:$PATH
CMD ["python", "-m", "app.main"]
