FROM alpine:3.20
COPY . .
run <<EOF
RUN is not a keyword here
EOF
