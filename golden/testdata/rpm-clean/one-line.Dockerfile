FROM rockylinux:9
RUN yum install httpd
RUN dnf -y update
