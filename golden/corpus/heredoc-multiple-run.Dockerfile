# syntax=docker/dockerfile:1
FROM alpine
RUN <<FILE1 cat > /file1 && <<FILE2 cat > /file2
I am
first
FILE1
I am
second
FILE2
RUN apk add --no-cache python3 && <<EOF python3
print("x")
EOF
