# check=skip=JSONArgsRecommended
FROM debian:bookworm
# check=skip=all
RUN apt-get update
# hadolint ignore=DL3008
RUN apt-get install -y curl
CMD curl --version
