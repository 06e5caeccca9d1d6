# syntax=docker/dockerfile:1
FROM rockylinux:9
RUN ["yum", "install", "-y", "httpd"]
RUN <<EOF
dnf install -y git
EOF
ONBUILD RUN yum install -y make
