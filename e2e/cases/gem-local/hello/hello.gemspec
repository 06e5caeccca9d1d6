Gem::Specification.new do |s|
  s.name = "hello"
  s.version = "1.0.0"
  s.summary = "e2e test gem"
  s.authors = ["dockopt"]
  s.files = ["lib/hello.rb"]
  s.license = "MIT"
end
