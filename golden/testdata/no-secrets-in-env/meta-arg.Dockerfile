ARG NPM_TOKEN=npm_abc123
FROM node:22
RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > .npmrc
