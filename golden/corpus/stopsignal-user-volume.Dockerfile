FROM mongo:7
USER mongodb
VOLUME ["/data/db", "/data/configdb"]
STOPSIGNAL SIGTERM
EXPOSE 27017/tcp
