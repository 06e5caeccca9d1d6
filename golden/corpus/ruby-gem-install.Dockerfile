FROM ruby:3.3-slim
RUN gem install rails -v 7.2.1 && gem install pg
RUN gem install --no-document bundler
WORKDIR /app
CMD rails server -b 0.0.0.0
