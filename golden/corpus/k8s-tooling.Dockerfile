FROM alpine:3.20
ARG KUBECTL_VERSION=v1.31.1
ARG HELM_VERSION=v3.16.2
RUN apk add --no-cache curl bash git openssl \
 && curl -LO "https://dl.k8s.io/release/${KUBECTL_VERSION}/bin/linux/amd64/kubectl" \
 && install -o root -g root -m 0755 kubectl /usr/local/bin/kubectl \
 && rm kubectl \
 && curl -fsSL https://get.helm.sh/helm-${HELM_VERSION}-linux-amd64.tar.gz | tar xz \
 && mv linux-amd64/helm /usr/local/bin/helm \
 && rm -rf linux-amd64
ENTRYPOINT ["/bin/bash"]
