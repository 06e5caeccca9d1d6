FROM rockylinux:9
RUN dnf install python3