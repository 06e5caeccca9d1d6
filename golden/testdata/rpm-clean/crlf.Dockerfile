FROM rockylinux:9
RUN dnf install -y \
      python3 \
    && python3 --version
