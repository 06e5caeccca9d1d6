FROM nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends python3-pip git && rm -rf /var/lib/apt/lists/*
RUN pip3 install torch torchvision --index-url https://download.pytorch.org/whl/cu124
WORKDIR /workspace
COPY train.py .
CMD python3 train.py
