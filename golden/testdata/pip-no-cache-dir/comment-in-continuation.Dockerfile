FROM python:3.12-slim
RUN pip3 install \
# pinned for the CVE fix
        'urllib3>=2.2.2' \
        requests \
    && /opt/venv/bin/pip3.12 install --user \
        flask
