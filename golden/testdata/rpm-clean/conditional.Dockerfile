FROM fedora:40
RUN if command -v dnf; then dnf install -y curl; else apk add curl; fi
RUN dnf install -y git || true
RUN dnf --installroot /sysroot install -y coreutils
