# psycopg2 is built against libpq of the full python image; python:3.12-slim
# has no libpq, so the copied virtualenv could not import it.
FROM python:3.12
RUN python -m venv /venv
ENV PATH=/venv/bin:$PATH
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
