FROM debian:12
RUN apt-get update && apt-get install -y postgresql
RUN service postgresql start && su postgres -c "createdb app"
RUN pg_lsclusters
