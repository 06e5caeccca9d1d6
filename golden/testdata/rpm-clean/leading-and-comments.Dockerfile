FROM fedora:40
RUN dnf install -y \
# web server
        httpd \
        # tools
        curl \
    && dnf install --assumeyes mod_ssl \
    && systemctl enable httpd
