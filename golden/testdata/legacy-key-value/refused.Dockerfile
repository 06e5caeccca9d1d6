FROM alpine:3.20
ENV SEPARATED \
    value
ENV BRACES "x" ${Y:-a b}
ONBUILD ENV A b
