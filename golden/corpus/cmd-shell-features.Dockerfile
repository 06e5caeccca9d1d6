FROM alpine AS a
CMD ./run.sh > /var/log/run.log 2>&1
FROM alpine AS b
CMD sleep 10 & wait
FROM alpine AS c
CMD [ -f /flag ] && echo yes || echo no
FROM alpine AS d
CMD echo ~ && ls *.txt
FROM alpine AS e
CMD FOO=bar env
FROM alpine AS f
CMD $APP_BIN --port ${PORT:-8080}
FROM alpine
CMD exec "$@"
