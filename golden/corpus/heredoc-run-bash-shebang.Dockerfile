# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN <<EOT bash
  set -ex
  apt-get update
  apt-get install -y --no-install-recommends vim
EOT
RUN <<'EOF'
#!/usr/bin/env python3
print("hello from python heredoc")
EOF
