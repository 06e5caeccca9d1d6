FROM ubuntu:22.04
RUN apt-get update && apt-get install -y wget && \
    wget https://github.com/prometheus/node_exporter/releases/download/v1.8.2/node_exporter-1.8.2.linux-amd64.tar.gz && \
    tar xvfz node_exporter-*.tar.gz && \
    mv node_exporter-1.8.2.linux-amd64/node_exporter /usr/local/bin/ && \
    rm -rf node_exporter-*
EXPOSE 9100
ENTRYPOINT node_exporter
