FROM python:3.12
RUN PIP_NO_CACHE_DIR=1 pip install a
RUN env PIP_NO_CACHE_DIR=off pip install b
RUN pip install --no-cache-dir c && pip --no-cache-dir install d
RUN pip install --cache-dir /tmp/pip e
RUN pip download f && pipx install g && uv pip install h
