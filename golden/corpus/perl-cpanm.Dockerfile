FROM perl:5.40
RUN cpanm --notest Mojolicious DBI DBD::Pg
COPY . /usr/src/myapp
WORKDIR /usr/src/myapp
CMD [ "perl", "./app.pl", "daemon" ]
