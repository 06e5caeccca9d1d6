FROM debian:12
RUN apt-get update && apt-get install -y python3-pip python3-venv
COPY requirements.txt .
RUN pip3 install --break-system-packages -r requirements.txt
