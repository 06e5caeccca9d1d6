FROM ubuntu:22.04
RUN apt-get update
# keep these separate for caching (the author says)
RUN apt-get install -y git
USER nobody
RUN echo "as nobody"
USER root
RUN --mount=type=cache,target=/root/.cache pip install black
RUN <<EOF
echo heredoc
EOF
RUN cd /opt && echo "cwd is /opt"
RUN pwd
