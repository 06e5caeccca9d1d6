FROM python:3.12 AS base
WORKDIR /app
COPY requirements.txt requirements-dev.txt ./
RUN pip install -r requirements.txt

FROM base AS test
RUN pip install -r requirements-dev.txt
COPY . .
RUN pytest -q

FROM base AS final
COPY . .
CMD ["python", "-m", "app"]
