FROM fedora:40
RUN dnf install -y python3-pip gcc redhat-rpm-config && dnf clean all
RUN pip3 install ansible-core
ENTRYPOINT ["ansible-playbook"]
