# a lower-case file
from alpine:3.20
run true
