FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y python3.11 python3.11-pip && python3.11 -m pip install flask
USER 1001
CMD python3.11 -m flask run
