FROM debian:bookworm-slim
ADD rootfs.tar.xz /
ADD vendor.tgz /opt/vendor/
ADD data.json.gz /data/
ADD pkg/app-1.0.gem /tmp/
ADD https://example.com/tool.tar.gz /opt/
ADD git@github.com:moby/buildkit.git /src/buildkit
ADD https://github.com/moby/buildkit.git#v0.14.0 /src/bk
