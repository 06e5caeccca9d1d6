FROM python:3.12-slim
ENTRYPOINT ["python", "-m", "app"]
CMD app:main --workers 4 --bind 0.0.0.0:8000
