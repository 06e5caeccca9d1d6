# postgres's docker-entrypoint.sh initialises the database only when its first
# argument is `postgres`. Shell form hands it `/bin/sh -c "postgres ..."`, exec
# form would hand it `postgres ...`: the image would start differently, so the
# CMD stays as written.
FROM postgres:16-alpine
COPY init.sql /docker-entrypoint-initdb.d/
CMD postgres -c max_connections=200
