FROM ruby:3.3
RUN gem install rake && \
    rake --version
