# syntax=docker/dockerfile:1
FROM ruby:3.3
RUN ["gem", "install", "bundler"]
RUN <<EOF
gem install rake
EOF
ONBUILD RUN gem install rails
