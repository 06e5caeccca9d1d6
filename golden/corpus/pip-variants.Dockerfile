FROM python:3.12-slim
RUN pip install flask==3.0.3
RUN pip3 install --user requests
RUN python -m pip install --upgrade pip setuptools
RUN python3 -m pip install -e .
RUN pip install --no-cache-dir uvicorn
CMD ["python"]
