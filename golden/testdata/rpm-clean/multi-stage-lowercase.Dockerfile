from rockylinux:9 as build
run dnf install -y gcc make
run make

from registry.access.redhat.com/ubi9/ubi-minimal
run microdnf -y install tzdata
