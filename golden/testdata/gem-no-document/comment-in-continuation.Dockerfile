FROM ruby:3.3
RUN gem update --system \
# rails needs nokogiri
    && gem install \
        # pinned
        nokogiri:1.16.0 \
        rails
