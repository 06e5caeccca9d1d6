FROM continuumio/miniconda3
SHELL ["/bin/bash", "--login", "-c"]
# conda init writes ~/.bashrc, which each later login shell reads
RUN conda init bash
RUN conda create -y -n app python=3.12
RUN conda activate app && python --version
