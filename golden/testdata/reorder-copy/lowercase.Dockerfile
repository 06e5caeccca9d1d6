from python:3.12
workdir /code
copy . .
run apt-get update && apt-get install -y libpq-dev
run pip install -r requirements.txt
cmd ["python", "main.py"]
