FROM ubuntu:22.04
RUN apt-get update && apt-get install -y software-properties-common && add-apt-repository -y ppa:deadsnakes/ppa && apt-get update && apt-get install -y python3.11 python3.11-venv python3.11-dev && curl -sS https://bootstrap.pypa.io/get-pip.py | python3.11 && python3.11 -m pip install --upgrade pip setuptools wheel && python3.11 -m pip install numpy scipy pandas matplotlib seaborn scikit-learn jupyter notebook ipython requests beautifulsoup4 lxml sqlalchemy psycopg2-binary redis celery flask django fastapi uvicorn pytest black flake8 mypy isort && useradd -m -s /bin/bash dev && mkdir -p /workspace && chown dev:dev /workspace && echo "dev ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers && apt-get clean
USER dev
WORKDIR /workspace
