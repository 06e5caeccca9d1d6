FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
# Separate layer: requirements change more often than the toolchain
RUN pip install -r /dev/null
# do not merge: the next step is retried by CI
RUN python -c 'print(1)'
# smoke test
RUN python --version
