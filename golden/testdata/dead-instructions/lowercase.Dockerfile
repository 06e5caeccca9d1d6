from alpine:3.20
entrypoint ["a"]
run true
entrypoint ["b"]
