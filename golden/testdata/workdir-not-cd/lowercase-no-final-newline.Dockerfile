from debian:12
run cd /app