FROM python:3.12
RUN export PIP_INDEX_URL=https://mirror.example.com/simple
RUN pip install requests
RUN echo "index: ${PIP_INDEX_URL:-default}"
