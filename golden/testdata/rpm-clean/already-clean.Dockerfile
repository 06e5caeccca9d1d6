FROM rockylinux:9
RUN yum install -y httpd && yum clean all
RUN dnf -y install git && rm -rf /var/cache/dnf
RUN zypper -n in curl && zypper clean -a
RUN dnf -y install make && rm -rf /var/cache/*
