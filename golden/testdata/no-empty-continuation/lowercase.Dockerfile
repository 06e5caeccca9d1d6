from alpine:3.20
run echo a \

    b
