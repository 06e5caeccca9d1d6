FROM python:3.12-bookworm
WORKDIR /app
COPY requirements.txt .
RUN apt-get update \
    # the compiler and headers psycopg2 builds with
    && apt-get install -y --no-install-recommends gcc libpq-dev \
    && pip install --no-cache-dir -r requirements.txt \
    && rm -rf /var/lib/apt/lists/*
COPY . .
CMD ["gunicorn", "app:app"]
