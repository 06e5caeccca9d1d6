# syntax=docker/dockerfile:1
FROM python:3.12
RUN pip install requests
CMD ["python3"]
