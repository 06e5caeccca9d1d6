ARG BASE_IMAGE=debian
ARG BASE_TAG=bookworm-slim
FROM ${BASE_IMAGE}:${BASE_TAG}
ARG BASE_TAG
RUN echo "building on $BASE_TAG" && apt-get update && apt-get install -y curl
CMD curl http://localhost
