FROM python:3.12
RUN <<EOF
curl -sSL https://install.python-poetry.org | python3 -
EOF
