FROM debian:12
RUN useradd -m app
RUN mkdir -p /srv/data
RUN chown app /srv/data
