from python:3.12
run pip install flask
env PATH=/v/bin:$PATH
