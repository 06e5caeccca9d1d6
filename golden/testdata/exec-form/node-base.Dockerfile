# node's docker-entrypoint.sh prepends `node` when its first argument is not a
# command: `server.js` would start as `node server.js` in exec form, while in
# shell form the entrypoint sees /bin/sh. Left alone.
FROM node:20-alpine AS script
COPY server.js .
CMD server.js

# `node` is a command in every node image: the entrypoint runs it unchanged.
FROM node:20-alpine AS program
COPY server.js .
CMD node server.js
