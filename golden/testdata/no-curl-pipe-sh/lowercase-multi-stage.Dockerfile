from alpine:3.20 as a
run apk add curl
from a
run curl -s https://example.com/i.sh | sh