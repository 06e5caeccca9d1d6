from ruby:3.3 as base
run echo 'gem: --no-document' > /usr/local/etc/gemrc
run gem install bundler

from base as app
run gem install rake

from ruby:3.3-slim
run gem install puma
