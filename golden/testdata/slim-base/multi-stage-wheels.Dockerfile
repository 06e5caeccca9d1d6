# The builder compiles wheels with the full image's gcc: it keeps it.
FROM python:3.11 AS build
COPY requirements.txt .
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM python:3.11
COPY --from=build /wheels /wheels
RUN pip install --no-index --only-binary=:all: --find-links=/wheels /wheels/*.whl
CMD ["python3", "-m", "app"]
