FROM continuumio/miniconda3:24.7.1-0

RUN conda install -y -c conda-forge numpy pandas scikit-learn jupyterlab && \
    conda clean -afy

RUN apt-get update && apt-get install -y git vim && rm -rf /var/lib/apt/lists/*

WORKDIR /work
EXPOSE 8888
CMD jupyter lab --ip=0.0.0.0 --no-browser --allow-root
