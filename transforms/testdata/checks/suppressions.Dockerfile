# check=skip=SecretsUsedInArgOrEnv
FROM python:3.12-slim
ENV DB_PASSWORD=postgres
# hadolint ignore=DL3004
RUN sudo apt-get update
# dockopt:ignore=no-apt-upgrade
RUN apt-get upgrade -y
RUN apt-get dist-upgrade -y
# hadolint ignore=DL3002
USER root
