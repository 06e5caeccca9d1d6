# escape=`
FROM rockylinux:9
RUN dnf install -y `
      git `
    && git --version
