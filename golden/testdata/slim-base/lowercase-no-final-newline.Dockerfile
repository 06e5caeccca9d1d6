from ruby:3.3 as app
workdir /app
copy . .
cmd ["ruby", "app.rb"]