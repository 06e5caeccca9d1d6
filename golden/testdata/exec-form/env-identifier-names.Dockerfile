FROM debian:12
ENV APP_HOME=/srv/app PORT=8080
ENV _private=1
CMD /usr/local/bin/server --port 8080
