FROM registry.access.redhat.com/ubi9/ubi-minimal
RUN microdnf install --nodocs shadow-utils \
 && useradd app
