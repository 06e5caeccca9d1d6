from debian:12 as build
user app
from debian:12
user 0
