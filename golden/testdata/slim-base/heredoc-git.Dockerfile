# syntax=docker/dockerfile:1
FROM python:3.11
COPY . /src
RUN <<EOF
cd /src
git rev-parse HEAD > /commit
EOF
CMD ["cat", "/commit"]
