# exec-form.unknown-base=convert: the author vouches for their base images.
FROM mycorp/base:1
CMD app --serve

# What is known to differ stays as written, setting or not.
FROM node:20
CMD server.js
