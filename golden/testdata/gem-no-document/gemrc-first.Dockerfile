FROM ruby:3.3
RUN { echo 'install: --no-document'; echo 'update: --no-document'; } >> ~/.gemrc
RUN gem install bundler
