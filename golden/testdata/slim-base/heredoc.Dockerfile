# syntax=docker/dockerfile:1
FROM python:3.11
RUN <<EOF
set -e
python3 -c 'import sys; print(sys.version)' > /version
EOF
CMD ["cat", "/version"]
