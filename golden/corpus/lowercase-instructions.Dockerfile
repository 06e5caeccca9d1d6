from python:3.11-slim as base
env PIP_DISABLE_PIP_VERSION_CHECK=1
workdir /app
copy requirements.txt .
run pip install -r requirements.txt
copy . .
expose 8000
cmd python -m uvicorn main:app --host 0.0.0.0
