FROM debian:12-slim
# None of these is a plain word list: all stay in shell form.
CMD echo "$HOME"
CMD app ${PORT:-8080}
CMD app $(hostname)
CMD cat /etc/*.conf
CMD touch a{1,2}
CMD app ~/config
CMD app > /var/log/app.log 2>&1
CMD app | tee /tmp/log
CMD migrate && serve
CMD start || true
CMD A=1 app
CMD exec nginx
CMD cd /srv
CMD . /env
CMD if true; then app; fi
CMD app # run it
CMD echo -e 'a\nb'
CMD ["already", "exec"]
CMD
HEALTHCHECK CMD curl -f http://localhost/ || exit 1
ONBUILD CMD app
