FROM python:3.11
# images built FROM this one run make on the slim image too
ONBUILD RUN make install
CMD ["python3"]
