FROM ruby:3.3-alpine
RUN apk add --update build-base postgresql-dev tzdata
RUN gem install bundler -v 2.5.0
COPY Gemfile Gemfile.lock ./
RUN bundle config set without 'development test' && bundle install --jobs 4
COPY . .
CMD bundle exec puma -C config/puma.rb
