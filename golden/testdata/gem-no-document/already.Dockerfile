FROM ruby:3.3
RUN gem install --no-document bundler
RUN gem install -N rake && gem install --no-rdoc --no-ri rack
RUN gem install --document=ri,rdoc rspec
RUN gem list && gem update
